/* The interactive API page: Swagger UI (served from the npm install) on /api/openapi.json. */
(function () {
  "use strict";
  var target = document.getElementById("swagger-ui");
  window.kgraphApi = SwaggerUIBundle({ url: target.dataset.spec, domNode: target, deepLinking: false,
    onComplete: function () { target.dataset.state = "ready"; } });
})();

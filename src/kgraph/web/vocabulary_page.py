"""The vocabulary page in the site's layout: pyLODE's document (its styles and its content block)
placed inside the site's header and footer.

pyLODE writes a whole HTML document; the site layout needs its two parts: the <style> blocks of
its head (scoped under #vocabulary so they leave the header and footer alone) and its
<div id="content">. Nothing inside the content is changed.
"""

from __future__ import annotations

import re

from markupsafe import Markup

STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S)
CONTENT = re.compile(r'<div id="content">.*</div>', re.S)
TITLE = re.compile(r"<title>(.*?)</title>", re.S)
RULE = re.compile(r"(^|})\s*([^{}@]+?)\s*{", re.S)


def _scoped(css: str) -> str:
    """Every selector of pyLODE's CSS prefixed with #vocabulary (body/html rules apply to it)."""

    def scope(match: re.Match) -> str:
        selectors = []
        for selector in match.group(2).split(","):
            selector = selector.strip()
            selector = re.sub(r"^(html|body)\b", "", selector).strip()
            selectors.append(f"#vocabulary {selector}".strip())
        return f"{match.group(1)}\n{', '.join(selectors)} {{"

    return RULE.sub(scope, css)


def vocabulary_parts(page: str) -> dict[str, object]:
    """title, styles and content of a pyLODE page, ready for templates/meta_vocabulary.html.

    pyLODE's output is generated from the ontology on the server (our own, trusted content), and
    pyLODE escapes the texts it puts in; so the parts are marked safe for Jinja.
    """
    styles = "\n".join(_scoped(css) for css in STYLE.findall(page))
    content = CONTENT.search(page)
    title = TITLE.search(page)
    return {
        "vocabulary_title": title.group(1).strip() if title else "kgraph",
        "vocabulary_styles": Markup(styles.replace("</", "<\\/")),
        "vocabulary_content": Markup(content.group(0) if content else page),
    }

"""A contact sheet: every exercise's frames side by side in one HTML page, for looking at."""

from __future__ import annotations

import base64
from xml.sax.saxutils import escape

from backcare.domain import catalogue
from backcare.domain.figures.describe import describe
from backcare.domain.figures.poses import pose_sets
from backcare.domain.figures.render import static_svg


def contact_sheet(ids: list[str] | None = None) -> str:
    poses = pose_sets()
    names = catalogue.exercises()
    rows = []
    for exercise in ids or sorted(poses):
        pose = poses[exercise]
        cells = "".join(
            f'<figure><img alt="" src="data:image/svg+xml;base64,'
            f'{base64.b64encode(static_svg(pose, i, f.label).encode()).decode()}">'
            f"<figcaption>{escape(f.label)}</figcaption></figure>"
            for i, f in enumerate(pose.frames)
        )
        title = escape(names[exercise].name if exercise in names else exercise)
        rows.append(
            f'<section><h2>{title} <small>{escape(exercise)}</small></h2><div class="row">{cells}'
            f"</div><p>{escape(describe(pose))}</p></section>"
        )
    style = (
        "body{font:14px system-ui;margin:12px;background:#fff}section{break-inside:avoid;"
        "border-bottom:1px solid #ddd;padding:6px 0}h2{font-size:15px;margin:0 0 4px}"
        ".row{display:flex;gap:10px;flex-wrap:wrap}figure{margin:0;text-align:center}"
        "img{height:170px;border:1px solid #eee}p{margin:4px 0;color:#444;max-width:1100px}"
    )
    head = f"<!doctype html><html><head><style>{style}</style></head>"
    return f"{head}<body>{''.join(rows)}</body></html>"

"""SVG figures: one rounded-limb style for every exercise, props, cues, and a gentle animation.

Static frames use presentation attributes only, so they print and embed anywhere (PDF included).
The animated figure nests one group per joint and rotates each between the frames with CSS
keyframes: every in-between position is a real posture with every segment at its length. It has
no script, and it stands still in its first frame when the system asks for reduced motion.
"""

from __future__ import annotations

from dataclasses import dataclass
from xml.sax.saxutils import escape

from backcare.domain.figures.body import LENGTH, RADIUS, Point, norm, segments
from backcare.domain.figures.poses import Frame, PoseSet, place
from backcare.domain.figures.scene import MAT_THICKNESS, Prop

INK = "#2f5d7c"
FAR = "#9fb7ca"
HIGHLIGHT = "#d9822b"
PROP_FILL = {
    "mat": "#cfe3d8",
    "wall": "#ddd6c8",
    "bench": "#c9b79c",
    "ball": "#f2c14e",
    "pillow": "#e6def2",
    "step": "#c9b79c",
}
MARGIN = 14.0
MOVE_SECONDS = 2.0
PAUSE_SECONDS = 0.8


@dataclass(frozen=True, slots=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float


def _box(pose: PoseSet) -> Box:
    xs: list[float] = []
    ys: list[float] = [0.0]
    for frame in pose.frames:
        for x, y in place(frame).values():
            xs.append(x)
            ys.append(y)
    reach = RADIUS["head"] + MARGIN
    x0, x1 = min(xs) - reach, max(xs) + reach
    y1 = max(ys) + reach
    for p in pose.props:
        if p.kind == "ball":
            x0, x1, y1 = (
                min(x0, p.x - p.height - 4),
                max(x1, p.x + p.height + 4),
                max(y1, p.y + p.height + 4),
            )
        elif p.kind in ("bench", "step", "pillow"):
            top = (p.y if p.kind == "pillow" else 0.0) + p.height
            x0, x1, y1 = min(x0, p.x - 4), max(x1, p.x + p.width + 4), max(y1, top + 4)
        elif p.kind == "wall":
            x1, y1 = max(x1, p.x + 10), max(y1, 60.0)
    return Box(x0, -8.0, x1, y1)


def _props(pose: PoseSet, box: Box) -> list[str]:
    out = [
        f'<line x1="{box.x0:.1f}" y1="0" x2="{box.x1:.1f}" y2="0" stroke="#8796a3" '
        'stroke-width="1.5"/>'
    ]
    for p in pose.scene():
        out.append(_prop(p, box))
    return [o for o in out if o]


def _prop(p: Prop, box: Box) -> str:
    fill = PROP_FILL.get(p.kind, "#ccc")
    if p.kind == "mat":
        size = f'width="{p.width:.1f}" height="{MAT_THICKNESS}"'
        return f'<rect x="{p.x:.1f}" y="0" {size} rx="0.7" fill="{fill}"/>'
    if p.kind == "wall":
        return f'<rect x="{p.x:.1f}" y="0" width="8" height="{box.y1:.1f}" fill="{fill}"/>'
    if p.kind in ("bench", "step"):
        size = f'width="{p.width:.1f}" height="{p.height:.1f}"'
        return f'<rect x="{p.x:.1f}" y="0" {size} rx="2" fill="{fill}"/>'
    if p.kind == "pillow":
        return (
            f'<rect x="{p.x:.1f}" y="{p.y:.1f}" width="{p.width:.1f}" height="{p.height:.1f}" '
            f'rx="{p.height / 2:.1f}" fill="{fill}"/>'
        )
    if p.kind == "ball":
        return f'<circle cx="{p.x:.1f}" cy="{p.y:.1f}" r="{p.height:.1f}" fill="{fill}"/>'
    return ""


def _colour(name: str, side: str, pose: PoseSet) -> str:
    if name in pose.highlight or (name == "chest" and "trunk" in pose.highlight):
        return HIGHLIGHT
    return FAR if side == "far" else INK


def _svg(pose: PoseSet, body: list[str], title: str, extra: str = "") -> str:
    box = _box(pose)
    width, height = box.x1 - box.x0, box.y1 - box.y0
    # y points up in the pose data: flip once, around the whole scene.
    flip = f"matrix(1 0 0 -1 0 {box.y1 + box.y0:.1f})"
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box.x0:.1f} {box.y0:.1f} '
        f'{width:.1f} {height:.1f}" role="img" aria-label="{escape(title, {chr(34): "&quot;"})}">'
        f"<title>{escape(title)}</title>{extra}"
        f'<g transform="{flip}">{"".join(_props(pose, box))}{"".join(body)}</g></svg>'
    )


def _static_body(pose: PoseSet, frame: Frame) -> list[str]:
    points = place(frame)
    out = []
    for s in segments(points):
        colour = _colour(s.name, s.side, pose)
        out.append(
            f'<line x1="{s.start[0]:.1f}" y1="{s.start[1]:.1f}" x2="{s.end[0]:.1f}" '
            f'y2="{s.end[1]:.1f}" stroke="{colour}" stroke-width="{2 * s.radius:.1f}" '
            'stroke-linecap="round"/>'
        )
    hx, hy = points["head"]
    out.append(f'<circle cx="{hx:.1f}" cy="{hy:.1f}" r="{RADIUS["head"]}" fill="{INK}"/>')
    if "pelvis" in pose.highlight:
        px, py = points["pelvis"]
        out.append(_spot(px, py))
    if frame is pose.frames[0]:
        out.append(_arrow(pose))  # the direction of movement, from where it starts
    return out


def _spot(x: float, y: float) -> str:
    """The working muscle around the hips (buttocks), drawn over the body."""
    return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{RADIUS["trunk"] - 5:.1f}" fill="{HIGHLIGHT}"/>'


def _arrow(pose: PoseSet) -> str:
    if pose.arrow is None:
        return ""
    x, y = place(pose.frames[0])[pose.arrow.point]
    x2, y2 = x + pose.arrow.dx, y + pose.arrow.dy
    import math

    angle = math.atan2(pose.arrow.dy, pose.arrow.dx)
    head = [(x2 + 7 * math.cos(angle + a), y2 + 7 * math.sin(angle + a)) for a in (2.6, -2.6)]
    return (
        f'<g fill="none" stroke="{HIGHLIGHT}" stroke-width="2.5" stroke-linecap="round" '
        f'stroke-dasharray="5 4"><line x1="{x:.1f}" y1="{y:.1f}" x2="{x2:.1f}" y2="{y2:.1f}"/></g>'
        f'<polygon points="{x2:.1f},{y2:.1f} {head[0][0]:.1f},{head[0][1]:.1f} '
        f'{head[1][0]:.1f},{head[1][1]:.1f}" fill="{HIGHLIGHT}"/>'
    )


def static_svg(pose: PoseSet, index: int, title: str) -> str:
    """One frame as a still figure (for print, the PDF and the command line)."""
    return _svg(pose, _static_body(pose, pose.frames[index]), title)


# The joint tree: (group, parent's end point it hangs from, segment drawn, angle key)
CHAINS = {
    "arm": ("upper_arm", "forearm", "hand"),
    "leg": ("thigh", "shin", "foot"),
}


def _relative(frame: Frame) -> dict[str, float]:
    """Each joint group's rotation relative to its parent, in degrees."""
    a = frame.angles
    chest = a.get("chest", a["trunk"])
    rel = {"root": a["trunk"], "chest": norm(chest - a["trunk"]), "head": norm(a["head"] - chest)}
    for side in ("near", "far"):
        hand = a.get(f"hand_{side}", a[f"forearm_{side}"])
        rel[f"upper_arm_{side}"] = norm(a[f"upper_arm_{side}"] - chest)
        rel[f"forearm_{side}"] = norm(a[f"forearm_{side}"] - a[f"upper_arm_{side}"])
        rel[f"hand_{side}"] = norm(hand - a[f"forearm_{side}"])
        rel[f"thigh_{side}"] = norm(a[f"thigh_{side}"] - a["trunk"])
        rel[f"shin_{side}"] = norm(a[f"shin_{side}"] - a[f"thigh_{side}"])
        rel[f"foot_{side}"] = norm(a[f"foot_{side}"] - a[f"shin_{side}"])
    return rel


def _unwrapped(frames: list[Frame]) -> list[dict[str, float]]:
    """Relative angles per frame, each chosen near the previous frame's, so nothing spins."""
    out = [_relative(frames[0])]
    for frame in frames[1:]:
        rel = _relative(frame)
        prev = out[-1]
        out.append({k: prev[k] + norm(v - prev[k]) for k, v in rel.items()})
    return out


def timeline(pose: PoseSet, hold_seconds: int | None) -> tuple[float, list[float]]:
    """The cycle's length and the moment each frame is reached, looping back to the first."""
    moments: list[float] = []
    t = 0.0
    for frame in [*pose.frames, pose.frames[0]]:
        if moments:
            t += MOVE_SECONDS
        moments.append(t)
        t += float(hold_seconds or 0) if frame.hold else PAUSE_SECONDS
    return t, moments


def animated_svg(pose: PoseSet, title: str, *, hold_seconds: int | None = None) -> str:
    """The figure moving through its frames, timed to the exercise's hold, and back."""
    rel = _unwrapped(list(pose.frames))
    rel.append(rel[0])
    total, moments = timeline(pose, hold_seconds)
    anchors = [place(f)["pelvis"] for f in [*pose.frames, pose.frames[0]]]

    def transform(key: str, i: int, offset: Point = (0.0, 0.0)) -> str:
        if key == "root":
            x, y = anchors[i]
            return f"translate({x:.1f}px,{y:.1f}px) rotate({rel[i]['root']:.1f}deg)"
        return f"translate({offset[0]:.1f}px,{offset[1]:.1f}px) rotate({rel[i][key]:.1f}deg)"

    offsets: dict[str, Point] = {
        "root": (0.0, 0.0),
        "chest": (LENGTH["lower_back"], 0.0),
        "head": (LENGTH["upper_back"], 0.0),
    }
    for side in ("near", "far"):
        offsets[f"upper_arm_{side}"] = (LENGTH["upper_back"], 0.0)
        offsets[f"forearm_{side}"] = (LENGTH["upper_arm"], 0.0)
        offsets[f"hand_{side}"] = (LENGTH["forearm"], 0.0)
        offsets[f"thigh_{side}"] = (0.0, 0.0)
        offsets[f"shin_{side}"] = (LENGTH["thigh"], 0.0)
        offsets[f"foot_{side}"] = (LENGTH["shin"], 0.0)

    css = []
    # Each group's own transform, per keyframe; the attribute holds the first frame for
    # reduced motion and for viewers without CSS animation.
    for n, key in enumerate(offsets):
        steps = " ".join(
            f"{100 * m / total:.2f}%{{transform:{transform(key, i, offsets[key])}}}"
            for i, m in enumerate(moments)
        )
        # Hold each frame's pose during its pause: repeat it just before the next move.
        css.append(
            f"@keyframes k{n}{{{steps}}}.j{n}{{animation:k{n} {total:.1f}s ease-in-out infinite}}"
        )
    css.append("@media (prefers-reduced-motion:reduce){g{animation:none!important}}")
    style = "<style>" + "".join(css) + "</style>"
    ids = {key: n for n, key in enumerate(offsets)}

    def group(key: str, inner: str) -> str:
        first = transform(key, 0, offsets[key]).replace("px", "").replace("deg", "")
        return f'<g class="j{ids[key]}" transform="{first}">{inner}</g>'

    def bar(part: str, name: str, side: str, length: float | None = None) -> str:
        colour = _colour(name, side, pose)
        return (
            f'<line x2="{length or LENGTH[part]:.1f}" stroke="{colour}" '
            f'stroke-width="{2 * RADIUS[part]:.1f}" stroke-linecap="round"/>'
        )

    def limb(kind: str, side: str) -> str:
        first = CHAINS[kind][0]
        if kind == "arm":
            hand = group(f"hand_{side}", bar("hand", f"forearm_{side}", side))
            inner = group(f"forearm_{side}", bar("forearm", f"forearm_{side}", side) + hand)
        else:
            inner = group(
                f"shin_{side}",
                bar("shin", f"shin_{side}", side)
                + group(f"foot_{side}", bar("foot", f"foot_{side}", side)),
            )
        return group(f"{first}_{side}", bar(first, f"{first}_{side}", side) + inner)

    head = group(
        "head",
        bar("neck", "neck", "mid")
        + f'<circle cx="{LENGTH["neck"]:.1f}" r="{RADIUS["head"]}" fill="{INK}"/>',
    )
    spot = _spot(0.0, 0.0) if "pelvis" in pose.highlight else ""
    # The upper back carries the head and arms. It is drawn in layers (far arm behind the lower
    # back, near arm in front of the near leg), each a copy of the same animated group.
    lower = bar("trunk", "trunk", "mid", LENGTH["lower_back"])
    upper = bar("trunk", "chest", "mid", LENGTH["upper_back"])
    body = (
        limb("leg", "far")
        + group("chest", limb("arm", "far"))
        + lower
        + group("chest", upper + head)
        + limb("leg", "near")
        + spot
        + group("chest", limb("arm", "near"))
    )
    return _svg(pose, [group("root", body), _arrow(pose)], title, style)

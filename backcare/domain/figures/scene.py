"""Props in a scene (floor, mat, wall, bench, ball, pillow, step) and where their surfaces are."""

from __future__ import annotations

import math
from dataclasses import dataclass

from backcare.domain.figures.body import Point

MAT_THICKNESS = 1.5


@dataclass(frozen=True, slots=True)
class Prop:
    kind: str  # floor | mat | wall | bench | ball | pillow | step
    x: float = 0.0  # wall: its face; bench, step, pillow, mat: left edge; ball: centre
    y: float = 0.0  # ball: centre; pillow: bottom
    width: float = 0.0
    height: float = 0.0  # bench, step: top; pillow: thickness; ball: radius

    def distance(self, q: Point) -> float:
        """How far a point is outside the prop's solid (negative: inside it)."""
        x, y = q
        if self.kind == "floor":
            return y
        if self.kind == "mat":
            return y - MAT_THICKNESS if self.x <= x <= self.x + self.width else math.inf
        if self.kind == "wall":
            return self.x - x  # the wall is solid to the right of its face
        if self.kind == "ball":
            return math.dist(q, (self.x, self.y)) - self.height
        if self.kind in ("bench", "step", "pillow"):
            bottom = self.y if self.kind == "pillow" else 0.0
            top = bottom + self.height
            dx = max(self.x - x, 0.0, x - (self.x + self.width))
            dy = max(bottom - y, 0.0, y - top)
            if dx == 0.0 and dy == 0.0:
                return -min(x - self.x, self.x + self.width - x, y - bottom, top - y)
            return math.hypot(dx, dy)
        raise ValueError(f"unknown prop {self.kind!r}")

    @property
    def soft(self) -> bool:
        """A pillow gives a little: body parts may sink into it."""
        return self.kind == "pillow"

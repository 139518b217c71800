"""Exercise figures drawn from pose data: one body model, forward kinematics, SVG out.

Pose data lives in `content/poses/<exercise id>.toml`; docs/figures.md explains the format.
"""

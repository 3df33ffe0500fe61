"""Talent 9-box (SKP kinerja × potensi) and further education with partner institutions (issue 7 §5)."""

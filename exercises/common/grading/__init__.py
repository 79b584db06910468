"""The grading tools of aelab's exercise sets (used by scripts/handout.py, scripts/grade.py
and scripts/check_exercises.sh). Standard library only."""

"""Synthetic sample applications for intake: rendered documents, simulated captures, ground truth.

Everything is invented: people, numbers, places, faces. See samples/README.md.

    generate_set(out, count, seed, as_of, difficulty="normal") -> list[Path]
    generate_application(out, seed, as_of, problem=None, difficulty="normal", index=1) -> Path
    PROBLEMS: the planted-problem ids; expected_outcome(problem) -> the expected report summary
"""

from .generate import DIFFICULTIES, generate_application, generate_set
from .plan import PROBLEMS, REQUIRED, expected_outcome, plan_application, problem_schedule

__all__ = ["DIFFICULTIES", "PROBLEMS", "REQUIRED", "expected_outcome", "generate_application", "generate_set",
           "plan_application", "problem_schedule"]

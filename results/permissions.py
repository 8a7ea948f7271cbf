"""Who may do what to results: the single place the rule lives."""


def can_declare(user) -> bool:
    """Enter counts, move a count on, declare and correct: the results desk and editors."""
    return user is not None and user.is_active and user.has_perm("results.declare_result")

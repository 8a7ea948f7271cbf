"""Counting methods: pure functions, one module per method."""

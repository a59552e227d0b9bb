"""Grounded tools (identify, profile, check, draft) and the LLM agent over them."""

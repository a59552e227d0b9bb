"""Prompt templates as text files; their hash is the prompt version."""

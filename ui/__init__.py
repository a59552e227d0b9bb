"""Surfaces: the `modelterms` CLI (and later the Gradio app). They only call agent/ and retrieval/."""

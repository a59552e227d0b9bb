"""The LLM plumbing: the client for any OpenAI-compatible endpoint or llama.cpp (backends.py), and
the guards around it (guard.py: untrusted text framed as data, the grounded verdict kept, quotes
checked verbatim). Used by the question answering in agent/ask/, by the use check's optional LLM
reader (agent/check/llm_reader.py) and by the drafter's custom clauses; it imports none of them.
"""

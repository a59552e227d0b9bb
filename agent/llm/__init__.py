"""The LLM layer: questions in the user's own words, answered from the grounded analysis.

question.py reads a question with rules (models, licenses, uses); conversation.py runs the grounded
check for it and, with an LLM configured (backends.py: any OpenAI-compatible endpoint or llama.cpp),
lets the model phrase the answer or call the grounded functions as tools (tools.py); guard.py keeps
that answer to the grounded verdict and the corpus's verbatim quotes; answer.py writes the grounded
answer without an LLM. The analysis below works with no LLM; only the use check's optional LLM reader
(agent/check/llm_reader.py) borrows the client (backends.py) and the data framing (guard.frame).
"""

"""Questions in the user's own words, answered from the grounded analysis.

question.py reads a question with rules (models, licenses, uses); conversation.py runs the grounded
check for it and, with an LLM configured (agent/llm/), lets the model phrase the answer or call the
grounded functions as tools (tools.py), its answer kept to the grounded verdict and the corpus's
verbatim quotes by agent/llm/guard.py; answer.py writes the grounded answer without an LLM.
"""

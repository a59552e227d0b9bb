"""Clauses, embeddings, the vector and lexical indexes, and hybrid search."""

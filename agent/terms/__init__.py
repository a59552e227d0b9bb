"""Term reading: which taxonomy terms a license or policy text addresses, and how.

clause features (features.py) → hand-written rule scores (rules.py) and the trained classifier
(classifier.py) → a profile per text (profile.py); money.py and industries.py read amounts and
industries out of free text for the profile and for the use check.
"""

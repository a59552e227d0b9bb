"""The words that mark a clause's context: a prohibition, a duty, a grant, a definition.
Plain patterns, so readers that only need the cue (the drafter, the audit) need not load the features."""
from __future__ import annotations

import re

PROHIBITIVE = re.compile(
    r"\b(you (agree|will|shall|must|may) not|agree not to|shall not|may not|must not|will not|won.t|do not|don.t|"
    r"cannot|can.t|prohibit\w*|forbid\w*|not (be )?(permitted|allowed)|disallowed|restricted uses?|use restrictions?|"
    r"nor allow|unacceptable|not to use|never use|no (commercial )?use)\b", re.I)
DUTY = re.compile(r"\b(must|shall|required to|is required|are required|agree to|you will)\b", re.I)
GRANT = re.compile(r"\b(hereby grants?|is granted|are granted|(you|licensee) may(?! not)|permitted to|free of charge|royalty[- ]free|licen[cs]es you|"
                   r"non-exclusive|worldwide)\b", re.I)
DEFINITION = re.compile(r"^\W*(\(?[a-z0-9.]+[.)]\s*)?[\"“'‘][^\"”’']{1,60}[\"”’']\s*(\([^)]*\)\s*)?(shall\s+)?(means?|refers?|includes?)\b",
                        re.I)

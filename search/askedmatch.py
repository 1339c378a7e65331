"""How closely a query says the same as one of the questions people ask about a document.

A question written by an editor or attached from what people searched ("ใครเป็นคนจัดทำ
KM นี้") is a whole way of asking, question words included: a query that says most of what
one of them says, and little else, is asked about that document. The index's questions
field scores every question's words together; this compares the query with each question
on its own, so a near-copy of one question counts more than scattered words of many.
"""
from .analysis import QUESTION_WORDS
from .analyzer import FUNCTION_WORD_WEIGHT, FUNCTION_WORDS


def _weight(term) -> float:
    # Question words stay at full weight: "ใคร" or "กี่" tell which question it is.
    return FUNCTION_WORD_WEIGHT if term in FUNCTION_WORDS and term not in QUESTION_WORDS else 1.0


class QuestionSets:
    """Each document's questions as sets of terms (words and glossary concepts)."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.by_key = {}

    def add(self, key, questions):
        sets = [frozenset(self.analyzer.with_concepts(self.analyzer.tokens(q))) for q in questions]
        self.by_key[key] = [s for s in sets if s]

    def remove(self, key):
        self.by_key.pop(key, None)

    def match(self, key, alternatives) -> float:
        """The best F1, over the document's questions, of the query's terms found in the
        question and the question's terms found in the query (function words weigh less).
        `alternatives`: for each query term, the set of ways it may be said."""
        if not alternatives:
            return 0.0
        query_total = sum(_weight(term) for term, _ in alternatives)
        said = set().union(*(ways for _, ways in alternatives))
        best = 0.0
        for question in self.by_key.get(key, ()):
            found = sum(_weight(term) for term, ways in alternatives if ways & question)
            if not found:
                continue
            covered = sum(_weight(t) for t in question if t in said)
            recall, precision = found / query_total, covered / sum(_weight(t) for t in question)
            best = max(best, 2 * recall * precision / (recall + precision))
        return best

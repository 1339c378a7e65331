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


def ways_said(alternatives) -> frozenset:
    """Every way a query says any of its terms (`alternatives`: term → the ways of saying it)."""
    return frozenset().union(*(ways for _, ways in alternatives))


class QuestionSets:
    """Each document's questions as sets of terms (words and glossary concepts)."""

    def __init__(self, analyzer):
        self.analyzer = analyzer
        self.by_key = {}

    def add(self, key, questions):
        sets = [frozenset(self.analyzer.with_concepts(self.analyzer.question_tokens(q))) for q in questions]
        self.by_key[key] = [(s, sum(_weight(t) for t in s)) for s in sets if s]  # with its weight

    def remove(self, key):
        self.by_key.pop(key, None)

    def matcher(self, alternatives):
        """`match` for one query, its own sums made once for all the documents it meets."""
        query_total = sum(_weight(term) for term, _ in alternatives)
        said = ways_said(alternatives)

        def match(key) -> float:
            best = 0.0
            for question, question_total in self.by_key.get(key, ()):
                if question.isdisjoint(said):
                    continue
                found = sum(_weight(term) for term, ways in alternatives if ways & question)
                covered = sum(_weight(t) for t in question & said)
                recall, precision = found / query_total, covered / question_total
                best = max(best, 2 * recall * precision / (recall + precision))
            return best

        return match if alternatives else (lambda key: 0.0)

    def said_in_full(self, key, said: frozenset) -> bool:
        """Whether the query says every term of one of the document's questions that names
        something ("อพม. คืออะไร" inside "อพม.คืออะไรคะ เพื่อนบ้านถามมา ตอบไม่ถูกเลย"):
        what else it says is the asker's story. `said`: every way the query says its terms."""
        return any(question <= said and question - QUESTION_WORDS - FUNCTION_WORDS
                   for question, _ in self.by_key.get(key, ()))

    def match(self, key, alternatives) -> float:
        """The best F1, over the document's questions, of the query's terms found in the
        question and the question's terms found in the query (function words weigh less).
        `alternatives`: for each query term, the set of ways it may be said."""
        return self.matcher(alternatives)(key)

"""The direct answer: the one passage of the best hit that answers the question."""
from dataclasses import dataclass


@dataclass(frozen=True)
class Answer:
    text: str
    item: str
    url: str


def find_answer(hits, asked, analyzer):
    return None

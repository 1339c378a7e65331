"""Hypothesis strategies shared by the Thai text tests."""
from hypothesis import strategies as st

INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff\u00ad"
# Thai letters, digits of both kinds, Latin, spaces, punctuation and invisible characters.
thaiish = st.text(alphabet=st.sampled_from(
    list("กขคงจฉชซญฎดตถทธนบปผพฟมยรลวศษสหอฮะัาำิีึืุูเแโใไ็่้๊๋์ๆฯ") + list("๐๑๒๓๔๕๖๗๘๙0123456789")
    + list("abcXYZ .,()/\t\n") + list(INVISIBLE) + ["\u0e4d"]), max_size=60)

"""Hostile input for every public form: what a careless or malicious sender can type."""

from hypothesis import strategies as st

NASTY_FRAGMENTS = [
    "\x00",
    "\u202e",
    "\u200f",
    "\ufeff",
    "\r\n",
    "\t",
    "😀🚓",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "=cmd|' /C calc'!A0",
    "../../etc/passwd",
    "%00",
    "１３８００１３８０００",
    "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "x" * 5000,
]

nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(NASTY_FRAGMENTS),
    st.lists(st.sampled_from(NASTY_FRAGMENTS), max_size=4).map("".join),
    st.just("a" * 100_000),
)

# A field may be missing, empty, repeated, or hold any of the above.
field_value = st.one_of(
    st.none(),
    st.just(""),
    nasty_text,
    st.lists(nasty_text, min_size=2, max_size=3),
)


def form_data(field_names):
    """A dict of form fields (absent when None; a list means a repeated field)."""
    return st.fixed_dictionaries(dict.fromkeys(field_names, field_value)).map(
        lambda data: {key: value for key, value in data.items() if value is not None}
    )

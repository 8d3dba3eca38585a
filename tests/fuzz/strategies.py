"""Hostile input for every public form: what a careless or malicious sender can type."""

import io

from hypothesis import strategies as st

NASTY_FRAGMENTS = [
    "\x00",
    "\u202e",
    "\u200f",
    "\ufeff",
    "\r\n",
    "\t",
    "\x1b[31m",
    "😀🚓",
    "👩‍👩‍👧‍👦",
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "' OR 1=1 --",
    "=cmd|' /C calc'!A0",
    "../../etc/passwd",
    "%00",
    "１３８００１３８０００",
    "\udcff".encode("utf-8", "surrogatepass").decode("utf-8", "replace"),
    "x" * 5000,
]

# Text where a number or a date is expected, and numbers where text is expected.
WRONG_TYPES = [
    "-1",
    "0",
    "1e308",
    "NaN",
    "99999999999999999999999999",
    "2026-02-30",
    "0000-00-00",
    "9999-12-31",
    "2026-13-01",
    "tomorrow",
    "true",
    "[]",
    "{}",
]

nasty_text = st.one_of(
    st.text(max_size=300),
    st.text(alphabet=st.characters(codec="utf-8"), max_size=60),
    st.sampled_from(NASTY_FRAGMENTS),
    st.sampled_from(WRONG_TYPES),
    st.integers().map(str),
    st.dates().map(lambda day: day.isoformat()),
    st.lists(st.sampled_from(NASTY_FRAGMENTS), max_size=4).map("".join),
    st.just("a" * 100_000),
)

# A file sent where text is expected (multipart/form-data).
uploaded_file = st.builds(
    lambda content, name: (io.BytesIO(content), name),
    st.binary(max_size=200),
    st.sampled_from(["photo.jpg", "a.txt", "../../x.html", "", "名字.png"]),
)

# A field may be missing, empty, repeated, a file, or hold any of the above.
field_value = st.one_of(
    st.none(),
    st.just(""),
    nasty_text,
    st.lists(nasty_text, min_size=2, max_size=3),
    uploaded_file,
)


VALID = object()  # stands for the field's valid answer, filled in by `with_valid`


def form_data(field_names, *, keep_valid: bool = False):
    """A dict of form fields (absent when None; a list means a repeated field).

    With `keep_valid`, a field may also be VALID: its valid answer, so that the fuzzing
    also reaches the checks that come after the form's own validation.
    """
    value = st.one_of(st.just(VALID), field_value) if keep_valid else field_value
    return st.fixed_dictionaries(dict.fromkeys(field_names, value)).map(
        lambda data: {key: value for key, value in data.items() if value is not None}
    )


def with_valid(data: dict, valid: dict) -> dict:
    """Replace each VALID in `data` by that field's valid answer (dropped if there is none)."""
    filled = {key: valid.get(key) if value is VALID else value for key, value in data.items()}
    return {key: value for key, value in filled.items() if value is not None}

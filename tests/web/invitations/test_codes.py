import collections
import math
import re
import string

import pytest

from app.invitations import codes

CODE_PATTERN = re.compile(r"^[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{2}$")
SECRET = b"test-secret-one"


def test_alphabet_has_31_unambiguous_symbols():
    assert len(codes.ALPHABET) == len(set(codes.ALPHABET)) == 31
    assert set(codes.ALPHABET) <= set(string.ascii_uppercase + string.digits)
    assert not set(codes.ALPHABET) & set("0O1IL")
    assert set(codes.ALPHABET) == set(string.ascii_uppercase + string.digits) - set("0O1IL")


def test_entropy_is_ten_symbols_of_31():
    assert math.isclose(codes.ENTROPY_BITS, 49.54, abs_tol=0.01)
    assert math.isclose(2 ** codes.ENTROPY_BITS, 31 ** 10, rel_tol=1e-9)
    assert math.isclose(31 ** 10, 819_628_286_980_801)


def test_generated_codes_have_the_printed_format():
    generated = [codes.generate_code() for _ in range(2000)]
    assert all(CODE_PATTERN.match(code) for code in generated)
    assert len(set(generated)) == len(generated)


def test_every_symbol_is_used_about_equally():
    counts = collections.Counter("".join(codes.generate_code().replace("-", "")
                                         for _ in range(2000)))
    assert set(counts) == set(codes.ALPHABET)
    expected = 20000 / 31
    # Binomial sd is about 25; 160 is more than six of them.
    assert all(abs(count - expected) < 160 for count in counts.values())


def test_normalise_round_trip():
    code = codes.generate_code()
    assert codes.normalise_code(code) == code


@pytest.mark.parametrize("typed", ["k7qm-4txp-9c", " K7QM 4TXP 9C ", "K7QM4TXP9C", "k7qm–4txp—9c",
                                   "K7QM.4TXP.9C", "Ｋ７ＱＭ－４ＴＸＰ－９Ｃ", "K7Q M4T XP9C\n"])
def test_normalise_accepts_how_people_type(typed):
    assert codes.normalise_code(typed) == "K7QM-4TXP-9C"


@pytest.mark.parametrize("typed", ["", "K7QM-4TXP-9", "K7QM-4TXP-9CC", "K7QM-4TXP-90",
                                   "K7QM-4TXP-9O", "K7QM-4TXP-91", "K7QM-4TXP-9I", "K7QM-4TXP-9L",
                                   "K7QM-4TXP-9#", "K7QM-4TXP-9Ç", "K" * 100, "{code.__class__}"])
def test_normalise_rejects_junk(typed):
    assert codes.normalise_code(typed) is None


def test_normalise_rejects_non_strings():
    assert codes.normalise_code(None) is None
    assert codes.normalise_code(1234567890) is None


def test_hash_is_deterministic_under_a_key_and_ignores_typing():
    first = codes.hash_code("K7QM-4TXP-9C", SECRET)
    assert first == codes.hash_code(" k7qm 4txp 9c", SECRET)
    assert re.fullmatch(r"[0-9a-f]{64}", first)
    assert first != codes.hash_code("K7QM-4TXP-9D", SECRET)


def test_hash_differs_under_another_key():
    assert codes.hash_code("K7QM-4TXP-9C", SECRET) != codes.hash_code("K7QM-4TXP-9C", b"other")


def test_hash_rejects_invalid_code_and_empty_secret():
    with pytest.raises(ValueError, match="access code"):
        codes.hash_code("K7QM-4TXP-90", SECRET)
    with pytest.raises(ValueError, match="secret"):
        codes.hash_code("K7QM-4TXP-9C", b"")


def test_link_tokens_are_long_random_and_url_safe():
    tokens = {codes.generate_link_token() for _ in range(500)}
    assert len(tokens) == 500
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{43}", token) for token in tokens)


def test_token_hash_is_keyed_and_separate_from_code_hash():
    token = codes.generate_link_token()
    assert codes.hash_token(token, SECRET) == codes.hash_token(token, SECRET)
    assert codes.hash_token(token, SECRET) != codes.hash_token(token, b"other")
    assert codes.hash_token("K7QM4TXP9C", SECRET) != codes.hash_code("K7QM4TXP9C", SECRET)

"""Indonesian personal names in one spelling, so that two records of the same person compare
equal however a clerk wrote them.

The civil registry (SIAK) and the DTKS write the same person's name differently for reasons
that have nothing to do with typing errors, and a generic string comparison treats them as
different names:

- **Titles and honorifics.** ``H. Slamet``, ``Drs. Slamet``, ``SLAMET, S.Pd.`` and ``Slamet``
  are one man. Titles come before the name (haji and hajjah, academic and professional
  titles, Raden) or after it behind a comma (Indonesian degrees: S.Pd., S.E., A.Md., M.Pd.),
  with or without dots, commas and spaces.
- **Patronymics.** ``Ahmad bin Sulaiman`` and ``Siti Aminah binti Slamet`` carry the father's
  name after "bin"/"binti"; the person's own name is what comes before it.
- **Muhammad and Ahmad.** Muhammad is written Muhamad, Mochammad, Mochamad, Mohammad, Moch.,
  Moh., Mohd., Muh., Mch. or just M.; Ahmad is Achmad, Akhmad, Ahmat or Ach.
- **The old spelling.** Names of people born before the 1972 spelling reform (EYD) are often
  still registered the Dutch-influenced way: ``oe`` for u (Soetrisno), ``dj`` for j (Djoko),
  ``tj`` for c (Tjahjono), ``j`` for y (Jusuf, Tjahjono), ``sj`` for sy (Sjamsul), ``nj`` for
  ny and ``ch`` for kh (Choirul).

``normalise_name`` undoes all of that and returns lower-case words separated by single
spaces; it is idempotent (normalising a normalised name changes nothing). ``phonetic_key``
goes further and folds letters Javanese speakers and clerks use interchangeably (f/p, z/j,
kh/h, final y/i, doubled letters, the silent h of Fatimah): two spellings of one name nearly
always share a key, which makes it the blocking key of the linkage; it is too coarse to decide
a match on its own.

The rules are made for linkage, not for display: they only need to give both spellings of one
name the same result.
"""

from __future__ import annotations

import re
import unicodedata

# ---------------------------------------------------------------------------------------------
# Titles. Compared after lower-casing and removing dots, commas and spaces inside the title, so
# "S.Pd.", "S. Pd", "SPD" and "s.pd" are all "spd".

# Before the name: haji/hajjah, academic and professional titles, forms of address, Raden
# (Javanese nobility, "R." or "Rr." for Raden Roro), "Alm." / "Almh." (the late), and KH
# (kyai haji).
PREFIX_TITLES = frozenset(
    {
        "h",
        "hj",
        "haji",
        "hajjah",
        "hajah",
        "kh",
        "kyai",
        "dr",
        "drs",
        "dra",
        "drg",
        "ir",
        "prof",
        "ny",
        "nyonya",
        "tn",
        "tuan",
        "sdr",
        "sdri",
        "bpk",
        "bapak",
        "ibu",
        "r",
        "rr",
        "ra",
        "raden",
        "alm",
        "almh",
        "almarhum",
        "almarhumah",
    }
)
# After the name: Indonesian degrees (sarjana S., magister M., diploma A.Md., doctor's
# specialisations), with the Islamic-studies variants (S.Pd.I, S.H.I).
SUFFIX_TITLES = frozenset(
    {
        "spd",
        "spdi",
        "spdsd",
        "sh",
        "shi",
        "se",
        "sei",
        "sak",
        "skom",
        "ssos",
        "sag",
        "st",
        "skep",
        "ssi",
        "sip",
        "sikom",
        "shum",
        "spsi",
        "skm",
        "sst",
        "stp",
        "sked",
        "sfarm",
        "sthi",
        "ssy",
        "amd",
        "amdkep",
        "amdkeb",
        "ama",
        "amapd",
        "mpd",
        "mpdi",
        "msi",
        "mm",
        "mh",
        "mhum",
        "mkes",
        "mt",
        "mag",
        "mkom",
        "msc",
        "bsc",
        "ba",
        "phd",
        "ns",
        "apt",
        "spa",
        "spog",
        "sppd",
    }
)
# A title is at most this many words when written with spaces ("S. Pd. I").
_TITLE_WORDS = 3
# Words of a title written with spaces are short; a longer word is a name.
_TITLE_WORD_LENGTH = 4

# "bin"/"binti" (son/daughter of) and their abbreviations; the father's name follows.
PATRONYMIC_WORDS = frozenset({"bin", "binti", "bt", "bte", "binte"})

# Abbreviations of a first word: "St. Aminah" is Siti Aminah, "Abd. Rahman" Abdul Rahman.
FIRST_WORD_ABBREVIATIONS = {"st": "siti", "abd": "abdul"}

MUHAMMAD = "muhammad"
AHMAD = "ahmad"
# Short forms of Muhammad, after the spelling rules (so "moch" is already "mokh", "mch"
# "mkh"). "m" on its own is Muhammad only when another word follows ("M. Rizky"), never at the
# end ("Budi M." is an initial).
_MUHAMMAD_SHORT = frozenset({"muh", "moh", "mohd", "muhd", "mhd", "mokh", "mokhd", "mkh", "mukh"})
# Long forms: mu/mo + h, kh or nothing + a + m or mm + a or e + d or t (Muhammad, Muhamad,
# Mochammad -> mokhammad, Mohamed, Muhammat...).
_MUHAMMAD_LONG = re.compile(r"m[uo](?:kh|h)?am{1,2}[ae][dt]")
_AHMAD_SHORT = frozenset({"akh", "ahm"})
_AHMAD_LONG = re.compile(r"a(?:kh|h)?ma[dt]")

# Names written with an old-spelling "j" for y but nothing else that marks them as old.
_OLD_J_NAMES = {
    "jusuf": "yusuf",
    "jahja": "yahya",
    "jahya": "yahya",
    "jakub": "yakub",
    "jasin": "yasin",
    "jazid": "yazid",
    "junus": "yunus",
}
# Where "ch" is the c of a loanword, not the old kh.
_CH_AS_C = frozenset({"chandra", "cheng", "chen", "christina", "christian", "chintya"})
_OLD_MARKERS = ("oe", "dj", "tj", "sj", "ch")

_NON_WORD = re.compile(r"[^a-z0-9]+")
# Apostrophes: ASCII, backtick, right and left quotation marks, modifier letter (Ma'ruf).
_APOSTROPHES = str.maketrans("", "", "'`\u2019\u2018\u02bc")


def normalise_name(name: str | None) -> str:
    """A name in lower case, in the modern spelling, without titles or patronymic, with
    Muhammad and Ahmad written one way, its words separated by single spaces.

    >>> normalise_name("Drs. H. SOETRISNO, S.Pd.")
    'sutrisno'
    >>> normalise_name("Moch. Rizky bin Slamet")
    'muhammad rizky'
    >>> normalise_name("TJAHJONO")
    'cahyono'
    >>> normalise_name("St. Ma'rufah")
    'siti marufah'

    The rules, in order (each is described on its helper):

    1. letters only: accents removed (é -> e), apostrophes dropped (Ma'ruf -> maruf), any
       other punctuation a word break;
    2. each word in the modern spelling (``modern_spelling``);
    3. titles removed from the start (``_strip_prefix_titles``);
    4. "bin"/"binti" and what follows removed (``_strip_patronymic``);
    5. titles removed from the end (``_strip_suffix_titles``);
    6. Muhammad, Ahmad, Siti and Abdul written one way (``_canonical_word``).

    A name that is nothing but titles ("Haji") is kept as it is rather than emptied.
    """
    words = [modern_spelling(word) for word in _words(name)]
    if not words:
        return ""
    words = _strip_prefix_titles(words)
    words = _strip_patronymic(words)
    words = _strip_suffix_titles(words)
    out = [
        _canonical_word(word, position=i, last=i == len(words) - 1) for i, word in enumerate(words)
    ]
    return " ".join(word for word in out if word)


def name_words(name: str | None) -> list[str]:
    """The words of the normalised name."""
    return normalise_name(name).split()


def _words(name: str | None) -> list[str]:
    if not name:
        return []
    text = unicodedata.normalize("NFKD", str(name))
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.lower().translate(_APOSTROPHES)
    return [word for word in _NON_WORD.split(text) if word]


def _title_at(words: list[str], start: int, titles: frozenset[str]) -> int:
    """How many words from ``start`` make up one title (0 if none): a title written as one word
    ("spd", "drs") or as up to three short words ("s pd i" from "S. Pd. I")."""
    for size in range(min(_TITLE_WORDS, len(words) - start), 0, -1):
        part = words[start : start + size]
        if size > 1 and any(len(word) > _TITLE_WORD_LENGTH for word in part):
            continue
        if "".join(part) in titles:
            return size
    return 0


def _strip_prefix_titles(words: list[str]) -> list[str]:
    """Titles before the name, as many as there are: ``H. Drs. Slamet`` -> ``slamet``,
    ``K.H. Hasyim`` -> ``hasyim``, ``R. Ay. Sri`` keeps ``ay sri`` (only known titles go). A
    title word is removed only while a name word follows, so a name that is a title word
    ("Haji" as someone's whole name) stays."""
    start = 0
    while start < len(words) - 1:
        size = _title_at(words, start, PREFIX_TITLES)
        if not size or start + size >= len(words):
            break
        start += size
    return words[start:]


def _strip_patronymic(words: list[str]) -> list[str]:
    """``Ahmad Fauzi bin Sulaiman`` -> ``ahmad fauzi``: from the first "bin"/"binti" (or "bt",
    "bte") on, the words name the father, not the person. Only after the first word: a name
    never starts with "bin"."""
    for i, word in enumerate(words):
        if i > 0 and word in PATRONYMIC_WORDS and i < len(words) - 1:
            return words[:i]
    return words


def _strip_suffix_titles(words: list[str]) -> list[str]:
    """Titles after the name, as many as there are: ``Slamet, S.Pd., M.Pd.`` ->
    ``slamet``, ``SITI AMINAH SPD`` -> ``siti aminah``, ``Budi S H`` -> ``budi``. The first word
    always stays (a name is never only a title)."""
    end = len(words)
    while end > 1:
        for size in range(min(_TITLE_WORDS, end - 1), 0, -1):
            part = words[end - size : end]
            if size > 1 and any(len(word) > _TITLE_WORD_LENGTH for word in part):
                continue
            if "".join(part) in SUFFIX_TITLES:
                end -= size
                break
        else:
            break
    return words[:end]


def modern_spelling(word: str) -> str:
    """One lower-case word in the modern (1972, EYD) spelling.

    - ``oe`` -> ``u``: soetrisno -> sutrisno, noer -> nur;
    - ``dj`` -> ``j``: djoko -> joko;
    - ``tj`` -> ``c``: tjipto -> cipto;
    - ``sj`` -> ``sy``: sjamsul -> syamsul;
    - ``ch`` -> ``kh``: choirul -> khoirul, achmad -> akhmad (but chandra -> candra, where
      the ch was never the old kh);
    - in a word that showed any of the old marks above, or starts with ``nj`` (no modern word
      does), every other ``j`` is the old y and ``nj`` is ny: soejono -> suyono, tjahjono ->
      cahyono, djojo -> joyo (the j that came from dj stays j), njonja -> nyonya;
    - a few names whose only old mark is the j: jusuf -> yusuf, jahja -> yahya, junus ->
      yunus.

    A word in the modern spelling comes back unchanged (joko, panji and anjar keep their j).
    Replacing can bring letters together into a new old mark (tjh -> ch), so the rules run
    again until nothing changes; each such round shortens the word, so this ends.
    """
    while True:
        modern = _modern_spelling_once(word)
        if modern == word:
            return modern
        word = modern


def _modern_spelling_once(word: str) -> str:
    if word in _CH_AS_C:
        return word.replace("ch", "c")
    # A word starting "nj" is old too: no modern word starts so (njonja -> nyonya).
    old = word.startswith("nj") or any(marker in word for marker in _OLD_MARKERS)
    if old:
        out: list[str] = []
        i = 0
        while i < len(word):
            pair = word[i : i + 2]
            if pair == "oe":
                out.append("u")
                i += 2
            elif pair == "dj":
                out.append("J")  # upper case: a j that must not become y below
                i += 2
            elif pair == "tj":
                out.append("c")
                i += 2
            elif pair == "sj":
                out.append("sy")
                i += 2
            elif pair == "ch":
                out.append("kh")
                i += 2
            elif pair == "nj":
                out.append("ny")
                i += 2
            elif word[i] == "j":
                out.append("y")
                i += 1
            else:
                out.append(word[i])
                i += 1
        word = "".join(out).lower()
    return _OLD_J_NAMES.get(word, word)


def _canonical_word(word: str, *, position: int, last: bool) -> str:
    """Muhammad, Ahmad and first-word abbreviations written one way: ``moch``/``moh``/
    ``mohd``/``mochamad``/``muhammad`` -> ``muhammad`` anywhere; ``m`` -> ``muhammad``
    unless it is the last word; ``achmad``/``akhmad``/``ahmat``/``ach`` -> ``ahmad``; ``st``
    -> ``siti`` and ``abd`` -> ``abdul`` as the first word."""
    if word in _MUHAMMAD_SHORT or _MUHAMMAD_LONG.fullmatch(word) or (word == "m" and not last):
        return MUHAMMAD
    if word in _AHMAD_SHORT or _AHMAD_LONG.fullmatch(word):
        return AHMAD
    if position == 0 and not last and word in FIRST_WORD_ABBREVIATIONS:
        return FIRST_WORD_ABBREVIATIONS[word]
    return word


# ---------------------------------------------------------------------------------------------
# Phonetic key

_KEY_PAIRS = (
    ("kh", "h"),  # khoirul / hoirul
    ("sy", "s"),  # syamsul / samsul
    ("sh", "s"),
    ("ts", "s"),  # tsabit / sabit
    ("dz", "j"),  # dzikri / zikri
    ("dh", "d"),  # widhi / widi
    ("th", "t"),  # fathul / fatul
    ("ph", "p"),
    ("ai", "e"),  # zainal / zaenal, saiful / saeful
    ("ae", "e"),
    ("au", "o"),  # taufik / tofik
)
_KEY_LETTERS = str.maketrans({"f": "p", "v": "p", "q": "k", "z": "j", "x": "k"})
_VOWELS = frozenset("aiueo")


def word_key(word: str) -> str:
    """The phonetic key of one normalised word.

    - letter pairs for one sound: kh -> h, sy/sh/ts -> s, dz/z -> j, dh -> d, th -> t,
      ai/ae -> e, au -> o;
    - letters people swap: f/v -> p (arif/arip, fitri/pitri), q -> k (taufiq/taufik);
    - y before a consonant or at the end is i (rizky/rizki); before a vowel it is j, as in the
      old spelling (yusuf/jusuf, suyono/sujono);
    - h after a vowel and not before one is silent (fatimah/fatima, rahmat/ramat);
    - doubled letters written once (muhammad/muhamad, anna/ana).
    """
    for pair, sound in _KEY_PAIRS:
        word = word.replace(pair, sound)
    word = word.translate(_KEY_LETTERS)
    out: list[str] = []
    for i, ch in enumerate(word):
        following = word[i + 1] if i + 1 < len(word) else ""
        if ch == "y":
            ch = "j" if following in _VOWELS else "i"
        elif ch == "h" and out and out[-1] in _VOWELS and following not in _VOWELS:
            continue
        if out and out[-1] == ch:
            continue
        out.append(ch)
    return "".join(out)


def phonetic_key(name: str | None) -> str:
    """The phonetic key of a whole name: each word of ``normalise_name(name)`` through
    ``word_key``, separated by spaces.

    >>> phonetic_key("Achmad Choirul Syaifuddin")
    'amad hoirul sepudin'
    >>> phonetic_key("Ahmad Khoirul Saifudin") == phonetic_key("Achmad Choirul Syaifuddin")
    True
    """
    return " ".join(word_key(word) for word in name_words(name))

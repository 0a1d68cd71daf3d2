"""A synthetic civil registry of Kota Kediri and a DTKS extract drawn from it, with the truth.

Nothing here is anyone's personal data: every name is drawn from lists of common Javanese and
Muslim given names, every NIK and KK number is made up (but follows the rules of
``identity``), and every address is a generic street. The files exist to develop, test and
benchmark the DTKS-to-civil-registry linkage (``linkage``) on data that looks like what
Dinas Sosial receives, without touching the real thing.

``generate`` writes four files:

- ``dukcapil.csv``, the civil registry extract (Dispendukcapil): families sharing a KK number,
  a head, a spouse, children and sometimes a parent, with realistic ages; names in upper case
  as SIAK stores them, older people's names often in the pre-1972 spelling (Soetrisno,
  Djoko, Tjahjono), some with titles (H., Hj., Drs., Ir., S.Pd.) or "bin"/"binti" and the
  father's name. A few people have died (``MATI``) and a few families have moved out of the
  city (their ``kode_kelurahan`` is a village of Kabupaten Kediri or elsewhere in East Java).
- ``dtks.csv``, the social-welfare register (Data Terpadu Kesejahteraan Sosial): rows drawn
  from the poorest families with the errors such registers really have, at controlled rates
  (``DTKS_ERROR_RATES``): missing or mistyped NIKs, a family member's NIK, typos, old versus
  new spellings, Muhammad written six ways, titles added or dropped, "bin" dropped, day and
  month swapped, stale kelurahan and KK numbers, people who have died, the same person twice,
  and people the civil registry does not know at all.
- ``truth.csv``: for each DTKS row, the NIK of the person it really is (blank when that person
  is not in the registry) and the ``;``-list of what was done to it (``TRUTH_TAGS``).
- ``exclusions.csv``: civil servants, soldiers and police officers (``PNS``/``TNI``/``POLRI``),
  who may not receive aid; some of them are in the DTKS.

The same seed always writes the same files (one ``random.Random(seed)``, no clock, no set
ordering), and 300,000 people take a few seconds.
"""

from __future__ import annotations

import csv
import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from kotacerdas.bansos.choices import Sex
from kotacerdas.bansos.identity import nik_date_digits
from kotacerdas.bansos.tables import (
    CIVIL_REGISTRY_COLUMNS,
    CIVIL_REGISTRY_OPTIONAL,
    DTKS_COLUMNS,
    EXCLUSION_COLUMNS,
)
from kotacerdas.core.reference_data import REFERENCE_DIR

# The day the extracts are "taken": fixed, so that ages and the files never depend on the clock.
REFERENCE_DATE = dt.date(2025, 6, 30)
CITY = "35.71"  # Kota Kediri

# The civil registry extract with the optional relationship column, as SIAK exports it.
DUKCAPIL_COLUMNS = (*CIVIL_REGISTRY_COLUMNS, *CIVIL_REGISTRY_OPTIONAL)
TRUTH_COLUMNS = ("id_dtks", "true_nik", "errors")
PROGRAMMES = ("PKH", "BPNT", "PBI-JK", "KARTU_SAHABAT", "SI_JAMAL")
EXCLUSION_KINDS = ("PNS", "TNI", "POLRI")

# The chance that a DTKS row drawn from the registry gets each error. They are independent,
# so a row can have several (a blank NIK and a swapped date is the hard case). Rates are in
# the range Dinas Sosial's own data-cleaning reports describe: most rows are clean, one in
# five has an unusable NIK, one in ten a misspelt name.
DTKS_ERROR_RATES = {
    "nik_blank": 0.08,
    "nik_typo": 0.06,  # one digit changed: may become invalid, or someone else's NIK
    "nik_family": 0.03,  # the NIK of another member of the family card
    "name_typo": 0.08,
    "spelling_modern": 0.5,  # of names registered in the old spelling, written the new way
    "spelling_old": 0.04,  # of names registered in the new spelling, partly old-style
    "muhammad_variant": 0.5,  # of names with Muhammad/Ahmad, another way of writing it
    "title_dropped": 0.5,  # of names with a title
    "title_added": 0.03,  # of adults registered without one
    "bin_dropped": 0.6,  # of names with bin/binti
    "name_token_dropped": 0.03,  # of names of three words, or starting Siti, Sri, Muhammad, Nur
    "dob_swapped": 0.03,  # of dates whose day is 12 or less (so the swap is a real date)
    "dob_typo": 0.025,
    "dob_default": 0.015,  # 1 January or 1 July of the right year, for a date nobody knew
    "dob_blank": 0.005,
    "sex_wrong": 0.005,
    "kelurahan_other": 0.05,
    "kk_blank": 0.05,
    "kk_other": 0.04,
}
# Shares of the DTKS rows that are not a registry person's one row.
DUPLICATE_SHARE = 0.02  # the same person again, with a new id_dtks and its own errors
NOT_IN_REGISTRY_SHARE = 0.02  # people the civil registry does not know
# The registry's own life events.
MOVED_OUT_FAMILY_SHARE = 0.02
MOVED_OUT_PERSON_SHARE = 0.01
EXCLUDED_SHARE = 0.008  # of adults of working age: PNS, TNI, POLRI
EXCLUDED_DTKS_SHARE = 0.003  # of DTKS rows: excluded people who are in the DTKS all the same

# Tags of truth.csv beside the error names above: conditions of the row, not errors made.
TRUTH_TAGS = (
    *DTKS_ERROR_RATES,
    "nik_other_person",  # the mistyped NIK is another registry person's NIK
    "deceased",
    "moved_out",
    "excluded",
    "duplicate",
    "not_in_registry",
)


def _names(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# --------------------------------------------------------------------------------------------
# Names. Modern (EYD) spelling; the registry writes some of them the old way (``_old_style``).

_MALE_JAVANESE_SINGLE = _names(
    "Sutrisno Slamet Suparman Sugeng Sukirman Paimin Tukiman Sarno Parno Wagiman Supardi "
    "Sumarno Karno Kasmadi Marsudi Mulyono Suyono Sunarto Sudarmo Sugiyanto Sutarji Darmaji "
    "Sujarwo Sukardi Purwanto Sumadi Wiyono Rusdi Pardi Sukamto Suwito Tarmuji Jumadi Kusnadi "
    "Sarwono Suyitno Kateni Ngadiman Sadimin Jumari Sutikno Sukidi Suroto Warsito Wagimin "
    "Suwaji Sujud Yatno Suyanto Margono Subur Jayus Cipto Mujiono Suratno Tumijan Kasdi "
    "Suharto Ponijan Samijo Jarwo Sudiro Tukijo Rejo Gimin Sukaji Sunardi Sukarji Jono"
)
_MALE_JAVANESE_FIRST = _names(
    "Agus Budi Eko Dwi Tri Joko Bambang Heru Hadi Wahyu Yudi Didik Hari Puji Rudi Sigit "
    "Bayu Teguh Yoyok Gatot Priyo Catur Andi Hendro Cahyo Edi Setyo Yuli Bagus Kukuh Imam"
)
_MALE_JAVANESE_LAST = _names(
    "Santoso Prasetyo Susanto Wibowo Setiawan Purnomo Hartono Widodo Kurniawan Cahyono "
    "Nugroho Priyanto Sulistyo Wahyudi Riyadi Hariyanto Utomo Saputro Wijaya Siswanto Mulyadi "
    "Suprapto Haryono Sugiarto Triyono Supriyadi Santosa Pramono Sucipto Yulianto Darmawan "
    "Setyawan Winarno Rahardjo Sujatmiko Wicaksono Hidayat Purwoko Prabowo Junaedi"
)
_MALE_MUSLIM_FIRST = _names(
    "Ahmad Abdul Syamsul Khoirul Nur Imam Zainal Misbahul Ali Hasan Yusuf Ismail Ibrahim "
    "Mustofa Sholeh Rohmat Anwar Ridwan Syaiful Fathul Arif Lutfi Rofiq Kholil Hasyim "
    "Yahya Yunus Yakub Jafar Faisal Ikhsan Amin Mahfud Ilham Iqbal Hafidz"
)
_MALE_MUSLIM_LAST = _names(
    "Fauzi Rahman Arifin Anam Hadi Hidayat Abidin Munir Syafii Maarif Huda Mustofa Ansori "
    "Sholeh Hakim Rohim Ghofur Majid Aziz Kholik Wahab Karim Hamid Dahlan Yani Syaifudin "
    "Zainuri Rifai Junaedi Ikhwan Asyari Mansur Zuhri Basori Qomarudin Khoiri Mahmud Yasin"
)
_MUHAMMAD_SECOND = _names(
    "Rizky Ali Yusuf Fauzi Ilham Iqbal Hasan Husein Arif Syaiful Nur Ridwan Zainal Khoirul "
    "Anwar Fathoni Hafidz Faisal Abdullah Amin Ikhsan Lutfi Rofiq Kholil Sholeh Yahya Dimas "
    "Farhan Alfin Bagus Fajar Rafi Naufal Zaki Haikal Rizal Syahrul Afif Fikri Habib"
)
_MALE_MODERN_FIRST = _names(
    "Aditya Rizky Dimas Bagus Fajar Reza Yoga Rangga Andika Bima Galih Dany Arya Farhan Rafi "
    "Alif Naufal Zidan Raka Ilham Alvin Dafa Fikri Gilang Ardian Rendy Ferry Aldi Dwiki Kevin"
)
_MALE_MODERN_LAST = _names(
    "Pratama Saputra Ramadhan Nugraha Firmansyah Maulana Prasetya Wicaksono Hidayat Setiawan "
    "Kurniawan Putra Syahputra Akbar Fadillah Rahmadani Wijaya Permana Adiputra Febrianto "
    "Kusuma Aditama Nugroho Santoso Alfarizi"
)
_FEMALE_JAVANESE_SINGLE = _names(
    "Sulastri Sumiati Tumini Suwarni Painem Tukinem Sainem Ngatini Sukarmi Sumarni Kasiyem "
    "Poniyem Wagini Marsini Sarmi Suyati Rukmini Parmi Karsini Katemi Supiyah Juminten Tarmi "
    "Sumini Jumiati Sutinah Kamisah Ponirah Suparti Sujiati Ngatemi Yatmi Sukinah Warsini "
    "Tuminah Surati Jaminah Semi Kartini Sunarsih Partini Sriyatun Mujiati Cicik"
)
_SRI_SECOND = _names(
    "Wahyuni Rahayu Lestari Mulyani Suharti Sulastri Utami Wulandari Handayani Purwanti "
    "Astuti Hartini Sumarni Kustini Winarti Yuliati Suryani Ningsih Indarti Sunarti"
)
_FEMALE_JAVANESE_FIRST = _names("Endang Tri Dwi Eka Yuli Nur Ari Puji Rini Tutik Yayuk Dyah Ratna")
_FEMALE_JAVANESE_LAST = _names(
    "Lestari Astuti Wahyuningsih Setyowati Rahayu Susanti Suryani Kurniasih Purwaningsih "
    "Handayani Yuliana Fitriani Rahmawati Hidayati Safitri Wulandari Sulistyowati "
    "Widayati Sriwahyuni Ningrum Cahyani Pujiastuti Yuniarti Kusumawati Jayanti"
)
_SITI_SECOND = _names(
    "Aminah Fatimah Khotijah Maimunah Muslimah Zubaidah Rohmah Nurjanah Khoiriyah Aisyah "
    "Munawaroh Zulaikha Mariyam Halimah Hasanah Rukayah Sholikhah Badriyah Asiyah Masruroh "
    "Romlah Sulaikah Musyarofah Qomariyah Nurhayati Juwariyah Mahmudah Chusnul Jamilah Kholifah"
)
_FEMALE_MUSLIM_FIRST = _names("Nur Umi Khusnul Lailatul Ummi Anis Fatimatuz Laili Ainun Zahrotul")
_FEMALE_MUSLIM_LAST = _names(
    "Hidayah Aini Laili Kholifah Azizah Hasanah Jannah Kulsum Khotimah Fitriyah Habibah "
    "Fuadah Zahro Mufidah Rohmah Maulidiyah Nikmah Sholihah Faizah Barokah"
)
_FEMALE_MODERN_FIRST = _names(
    "Nabila Aulia Putri Salsabila Dinda Anisa Amelia Zahra Kirana Aisyah Nadia Alya Citra Dewi "
    "Intan Ayu Rina Rani Novita Fitri Anggun Tiara Bella Indah Nanda Vina Yunita Della Risma"
)
_FEMALE_MODERN_LAST = _names(
    "Putri Rahmawati Safitri Lestari Ramadhani Anggraini Permatasari Wulandari Puspitasari "
    "Maharani Azzahra Nuraini Kusuma Oktaviani Febriyanti Aprilia Khoirunnisa Nurfadila "
    "Ayuningtyas Pertiwi Cahyaningrum Salsabila Hapsari Ananda"
)

# First names often left out ("Rizky" for Muhammad Rizky, "Aminah" for Siti Aminah).
_DROPPABLE_FIRST = ("Siti", "Sri", "Muhammad", "Nur")

# Ways of writing Muhammad and Ahmad, in the registry and in the DTKS (East Java is fond of
# "Mochamad" and "Moch.").
MUHAMMAD_FORMS = (
    "Muhammad",
    "Muhamad",
    "Mochammad",
    "Mochamad",
    "Mohammad",
    "Mohamad",
    "Moch.",
    "Moh.",
    "M.",
    "Muh.",
    "Mokhamad",
    "Mohd.",
)
_MUHAMMAD_WEIGHTS = (30, 12, 10, 12, 6, 5, 9, 6, 6, 2, 1, 1)
AHMAD_FORMS = ("Ahmad", "Achmad", "Akhmad", "Ach.", "Ahmat")
_AHMAD_WEIGHTS = (55, 30, 8, 5, 2)

_MALE_PREFIX_TITLES = ("H.", "Drs.", "Ir.", "Dr.")
_FEMALE_PREFIX_TITLES = ("Hj.", "Dra.", "Ir.", "Dr.")
_SUFFIX_TITLES = (
    "S.Pd.",
    "S.E.",
    "S.H.",
    "S.Kom.",
    "S.Sos.",
    "S.Ag.",
    "S.T.",
    "A.Md.",
    "M.Pd.",
    "S.Pd.I",
    "S.Kep.",
    "M.M.",
)
# How a clerk may type a title: with or without dots, in upper case.
_TITLE_SPELLINGS = {
    "S.Pd.": ("S.Pd", "SPd", "S.PD", "S. Pd."),
    "S.E.": ("SE", "S.E", "S.E."),
    "S.H.": ("SH", "S.H", "S.H."),
    "A.Md.": ("Amd", "A.Md", "AMD"),
    "M.Pd.": ("M.Pd", "MPd"),
    "H.": ("H", "H."),
    "Hj.": ("Hj", "HJ.", "Hj."),
    "Drs.": ("Drs", "DRS."),
}

_STREETS = _names(
    "Melati Mawar Kenanga Anggrek Flamboyan Cempaka Dahlia Teratai Kamboja Seruni Bougenville "
    "Nusa_Indah Sedap_Malam Kalimantan Sumatra Sulawesi Irian Bali Lombok Semeru Bromo Wilis "
    "Kelud Raung Arjuno Lawu Merapi Sindoro Sumbing Pattimura Diponegoro Imam_Bonjol Sudirman "
    "Ahmad_Yani Hasanudin Veteran Pahlawan Kartini Cut_Nyak_Dien Pemuda Pramuka Pelita "
    "Merdeka Sriwijaya Majapahit Mataram Kawi Brantas Kediri_Lama Pesantren Lirboyo Joyoboyo"
)
# Ages of heads of family (Susenas puts most between 30 and 60).
_HEAD_AGE_BANDS = ((21, 29), (30, 39), (40, 49), (50, 59), (60, 69), (70, 92))
_HEAD_AGE_WEIGHTS = (10, 22, 24, 20, 14, 10)
_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")
_BIRTHPLACE_ELSEWHERE = (
    "KAB. KEDIRI",
    "NGANJUK",
    "TULUNGAGUNG",
    "BLITAR",
    "JOMBANG",
    "SURABAYA",
    "MALANG",
    "TRENGGALEK",
    "MADIUN",
    "PARE",
)


@dataclass(frozen=True)
class SynthSummary:
    """What ``generate`` wrote: the files and the counts a reader checks them against."""

    dukcapil: Path
    dtks: Path
    truth: Path
    exclusions: Path
    people: int
    families: int
    deceased: int
    moved_out: int
    dtks_rows: int
    not_in_registry: int
    duplicates: int
    excluded: int
    seconds: float
    tags: dict[str, int] = field(default_factory=dict)  # DTKS rows per truth tag


@dataclass(slots=True)
class _Person:
    tokens: list[str]  # the given names, modern spelling, title case
    sex: str
    birth: dt.date
    family: int
    old_spelling: bool = False
    prefix: str = ""  # a title before the name, as registered
    suffix: str = ""  # a title after the name
    bin: str = ""  # "bin Slamet" / "binti Slamet"
    nik: str = ""
    name: str = ""  # as registered
    birthplace: str = ""
    alive: bool = True
    died: dt.date | None = None
    kelurahan: str = ""
    relationship: str = "KEPALA KELUARGA"  # as the family card writes it (hubungan)


@dataclass(slots=True)
class _Family:
    kk: str
    kelurahan: str
    alamat: str
    rt: str
    rw: str
    members: list[int]
    poverty: float  # lower is poorer


@dataclass(frozen=True)
class _Regions:
    kelurahan: tuple[str, ...]  # Kota Kediri's 46
    kelurahan_weights: tuple[int, ...]
    kelurahan_names: dict[str, str]
    kecamatan_elsewhere: tuple[str, ...]  # East Java outside the city, digits only
    kecamatan_kab_kediri: tuple[str, ...]
    villages_kab_kediri: tuple[str, ...]
    villages_elsewhere: tuple[str, ...]


@cache
def _regions() -> _Regions:
    kelurahan, names, elsewhere, kab_kediri, villages_kab, villages_other = [], {}, [], [], [], []
    with open(REFERENCE_DIR / "wilayah.csv", newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = row["kode"]
            if not code.startswith("35."):
                continue
            parts = code.count(".")
            if code.startswith(CITY + "."):
                if parts == 3:
                    kelurahan.append(code)
                    names[code] = row["nama"]
            elif parts == 2:
                (kab_kediri if code.startswith("35.06.") else elsewhere).append(
                    code.replace(".", "")
                )
            elif parts == 3:
                (villages_kab if code.startswith("35.06.") else villages_other).append(code)
    # Kelurahan differ in size; fixed weights (not drawn from the seed) so that every seed
    # shares the same city.
    weights = tuple(3 + (int(code[-2:]) * 7 + int(code[6:8]) * 5) % 9 for code in kelurahan)
    return _Regions(
        kelurahan=tuple(kelurahan),
        kelurahan_weights=weights,
        kelurahan_names=names,
        kecamatan_elsewhere=tuple(elsewhere),
        kecamatan_kab_kediri=tuple(kab_kediri),
        villages_kab_kediri=tuple(villages_kab),
        villages_elsewhere=tuple(villages_other),
    )


# --------------------------------------------------------------------------------------------
# Spelling


def _old_style(word: str, rng: random.Random | None = None) -> str:
    """A word in the spelling before 1972 (Ejaan Soewandi/van Ophuijsen): u -> oe,
    j -> dj, y -> j, c -> tj, sy -> sj, kh -> ch, ny -> nj. With ``rng``, each rule applies
    only with an even chance: the half-converted spellings clerks produce."""
    rules = ("kh", "sy", "ny", "c", "j", "y", "u")
    keep = {rule: rng is None or rng.random() < 0.5 for rule in rules}
    if rng is not None and not any(keep.values()):
        keep[rng.choice(rules)] = True
    out, lower, i = [], word.lower(), 0
    while i < len(word):
        pair = lower[i : i + 2]
        if pair == "kh" and keep["kh"]:
            out.append(_same_case(word[i : i + 2], "ch"))
            i += 2
        elif pair == "sy" and keep["sy"]:
            out.append(_same_case(word[i : i + 2], "sj"))
            i += 2
        elif pair == "ny" and keep["ny"]:
            out.append(_same_case(word[i : i + 2], "nj"))
            i += 2
        else:
            char = lower[i]
            new = {"c": "tj", "j": "dj", "y": "j", "u": "oe"}.get(char)
            if new and keep[char]:
                out.append(_same_case(word[i], new))
            else:
                out.append(word[i])
            i += 1
    return "".join(out)


def _same_case(source: str, text: str) -> str:
    return text.upper() if source[:1].isupper() else text


def _has_new_spelling(tokens: list[str]) -> bool:
    """Whether the old spelling would write these names differently."""
    text = "".join(tokens).lower()
    return any(ch in text for ch in "ucjy") or "kh" in text


def _typo(word: str, rng: random.Random) -> str:
    """One slip of the keyboard in a word: a letter changed, dropped, doubled or swapped with
    its neighbour; never the first letter, which people rarely get wrong."""
    if len(word) < 3:
        return word + word[-1]
    i = rng.randrange(1, len(word))
    kind = rng.randrange(4)
    if kind == 0:
        letters = "aiueonmrstkglhdbpy"
        new = rng.choice([c for c in letters if c != word[i].lower()])
        return word[:i] + _same_case(word[i], new) + word[i + 1 :]
    if kind == 1:
        return word[:i] + word[i + 1 :]
    if kind == 2:
        return word[:i] + word[i] + word[i:]
    if i == len(word) - 1:
        i -= 1
    if word[i] == word[i + 1]:
        return word[:i] + word[i + 1 :]
    return word[:i] + word[i + 1] + word[i] + word[i + 2 :]


# --------------------------------------------------------------------------------------------
# People


def _given_names(rng: random.Random, sex: str, year: int) -> list[str]:
    """Given names in the fashion of the birth year: single Javanese names for the old,
    Muslim and two-word Javanese names for the middle generations, modern two-word names
    (Aditya Pratama, Nabila Putri) for the young."""
    if year < 1961:
        styles = (("single", 55), ("muslim", 28), ("compound", 17), ("modern", 0))
    elif year < 1986:
        styles = (("single", 15), ("muslim", 40), ("compound", 40), ("modern", 5))
    elif year < 2001:
        styles = (("single", 3), ("muslim", 40), ("compound", 27), ("modern", 30))
    else:
        styles = (("single", 1), ("muslim", 44), ("compound", 5), ("modern", 50))
    style = rng.choices([s for s, _ in styles], [w for _, w in styles])[0]
    male = sex == Sex.MALE
    if style == "single":
        return [rng.choice(_MALE_JAVANESE_SINGLE if male else _FEMALE_JAVANESE_SINGLE)]
    if style == "compound":
        if male:
            names = [rng.choice(_MALE_JAVANESE_FIRST), rng.choice(_MALE_JAVANESE_LAST)]
            if rng.random() < 0.12:
                names.insert(1, rng.choice(_MALE_JAVANESE_FIRST))
            return _distinct(names)
        if rng.random() < 0.4:
            return ["Sri", rng.choice(_SRI_SECOND)]
        return _distinct([rng.choice(_FEMALE_JAVANESE_FIRST), rng.choice(_FEMALE_JAVANESE_LAST)])
    if style == "muslim":
        if male:
            roll = rng.random()
            if roll < 0.35:
                names = ["Muhammad", rng.choice(_MUHAMMAD_SECOND)]
                if rng.random() < 0.3:
                    names.append(rng.choice(_MALE_MUSLIM_LAST + _MALE_MODERN_LAST))
                return _distinct(names)
            if roll < 0.45:
                return ["Ahmad", rng.choice(_MALE_MUSLIM_LAST)]
            return _distinct([rng.choice(_MALE_MUSLIM_FIRST), rng.choice(_MALE_MUSLIM_LAST)])
        if rng.random() < 0.45:
            return ["Siti", rng.choice(_SITI_SECOND)]
        return _distinct([rng.choice(_FEMALE_MUSLIM_FIRST), rng.choice(_FEMALE_MUSLIM_LAST)])
    first = rng.choice(_MALE_MODERN_FIRST if male else _FEMALE_MODERN_FIRST)
    last = rng.choice(_MALE_MODERN_LAST if male else _FEMALE_MODERN_LAST)
    names = [first, last]
    if rng.random() < 0.15:
        names.insert(1, rng.choice(_MALE_MODERN_FIRST if male else _FEMALE_MODERN_FIRST))
    return _distinct(names)


def _distinct(names: list[str]) -> list[str]:
    out: list[str] = []
    for name in names:
        if name not in out:
            out.append(name)
    return out


def _render(
    person: _Person,
    rng: random.Random,
    *,
    old: bool | str,
    prefix: str,
    suffix: str,
    bin_part: str,
    vary_forms: bool = False,
    upper: bool = True,
    drop_token: bool = False,
    typo: bool = False,
) -> str:
    """A person's name as one source writes it. ``old`` True writes the pre-1972 spelling,
    "partial" a half-converted one; ``vary_forms`` picks another way of writing Muhammad or
    Ahmad."""
    words = list(person.tokens)
    if drop_token and words[0] in _DROPPABLE_FIRST and len(words) >= 2:
        del words[0]
    elif drop_token and len(words) >= 3:
        del words[rng.randrange(1, len(words))]
    written = []
    for i, word in enumerate(words):
        if word == "Muhammad":
            form = person_form(person, "Muhammad")
            if vary_forms:
                form = rng.choice([f for f in MUHAMMAD_FORMS if f != form])
            written.append(form)
            continue
        if word == "Ahmad" and i == 0:
            form = person_form(person, "Ahmad")
            if vary_forms:
                form = rng.choice([f for f in AHMAD_FORMS if f != form])
            written.append(form)
            continue
        if old is True:
            word = _old_style(word)
        elif old == "partial":
            word = _old_style(word, rng)
        written.append(word)
    if typo:
        candidates = [i for i, w in enumerate(written) if len(w) >= 3 and not w.endswith(".")]
        if candidates:
            i = rng.choice(candidates)
            written[i] = _typo(written[i], rng)
    text = " ".join(written)
    if bin_part:
        text = f"{text} {_old_style(bin_part) if old is True else bin_part}"
    if prefix:
        text = f"{prefix} {text}"
    if suffix:
        text = f"{text}, {suffix}"
    return text.upper() if upper else text


def person_form(person: _Person, word: str) -> str:
    """The way this person's registry record writes Muhammad or Ahmad: fixed per person (a
    hash of their birth date and names), so the registry is consistent with itself."""
    key = person.birth.toordinal() * 31 + sum(map(ord, "".join(person.tokens)))
    local = random.Random(key)  # noqa: S311 (made-up data, nothing secret)
    if word == "Muhammad":
        return local.choices(MUHAMMAD_FORMS, _MUHAMMAD_WEIGHTS)[0]
    return local.choices(AHMAD_FORMS, _AHMAD_WEIGHTS)[0]


def _random_day(rng: random.Random, year: int) -> dt.date:
    start = dt.date(year, 1, 1).toordinal()
    end = min(dt.date(year, 12, 31), REFERENCE_DATE).toordinal()
    return dt.date.fromordinal(rng.randint(start, max(start, end)))


class _Numbers:
    """NIK and KK serials: unique per (region, date digits), counted from 0001 as
    Dispendukcapil issues them."""

    def __init__(self) -> None:
        self.serials: Counter[str] = Counter()

    def issue(self, region: str, date_digits: str) -> str:
        key = region + date_digits
        self.serials[key] += 1
        return f"{key}{self.serials[key]:04d}"

    def unused(self, region: str, date_digits: str, rng: random.Random) -> str:
        """A valid-looking number nobody has: a serial above those issued."""
        key = region + date_digits
        return f"{key}{self.serials[key] + rng.randint(1, 30):04d}"


def _kecamatan_digits(kelurahan: str) -> str:
    return kelurahan[:8].replace(".", "")


def _make_registry(
    rng: random.Random,
    people_target: int,
    progress: Callable[[int, int], None] | None,
) -> tuple[list[_Person], list[_Family], _Numbers]:
    regions = _regions()
    people: list[_Person] = []
    families: list[_Family] = []
    niks = _Numbers()
    kks = _Numbers()
    next_report = 0
    while len(people) < people_target:
        kelurahan = rng.choices(regions.kelurahan, regions.kelurahan_weights)[0]
        low, high = rng.choices(_HEAD_AGE_BANDS, _HEAD_AGE_WEIGHTS)[0]
        head_age = rng.randint(low, high)
        roll = rng.random()
        widowed = roll < (0.12 if head_age < 60 else 0.35)
        single = not widowed and head_age < 35 and rng.random() < 0.15
        members: list[_Person] = []
        family_index = len(families)
        head_sex = Sex.MALE
        if widowed and rng.random() < 0.75:
            head_sex = Sex.FEMALE
        head = _new_person(rng, head_sex, head_age, family_index)
        members.append(head)
        mother_age = None
        if not widowed and not single:
            wife_age = max(18, head_age - max(-4, int(rng.gauss(4, 4))))
            wife = _new_person(rng, Sex.FEMALE, wife_age, family_index)
            wife.relationship = "ISTRI"
            members.append(wife)
            mother_age = wife_age
        elif head_sex == Sex.FEMALE:
            mother_age = head_age
        elif widowed:
            mother_age = head_age - 4
        if mother_age is not None and not single:
            count = rng.choices((0, 1, 2, 3, 4, 5), (8, 22, 35, 22, 9, 4))[0]
            age_at_birth = rng.randint(19, 30)
            for _ in range(count):
                child_age = mother_age - age_at_birth
                if child_age < 0:
                    break
                # Grown children mostly have their own family card.
                keep = (
                    child_age < 18
                    or (child_age < 30 and rng.random() < 0.45)
                    or rng.random() < 0.12
                )
                if keep:
                    sex = Sex.MALE if rng.random() < 0.51 else Sex.FEMALE
                    child = _new_person(rng, sex, child_age, family_index)
                    child.relationship = "ANAK"
                    if rng.random() < 0.03 and head.sex == Sex.MALE:
                        word = "bin" if sex == Sex.MALE else "binti"
                        child.bin = f"{word} {head.tokens[0]}"
                    members.append(child)
                age_at_birth += rng.randint(1, 5)
                if age_at_birth > 43:
                    break
        if rng.random() < 0.09 and head_age < 62:
            parent_age = head_age + rng.randint(21, 34)
            if parent_age <= 95:
                sex = Sex.FEMALE if rng.random() < 0.7 else Sex.MALE
                parent = _new_person(rng, sex, parent_age, family_index)
                parent.relationship = "ORANG TUA"
                members.append(parent)

        wealth = rng.random()
        for person in members:
            _dress(person, rng, wealth)
            _issue_nik(person, rng, niks, kelurahan)
        issued = _random_day(rng, rng.randint(max(2005, head.birth.year + 17), 2025))
        kk = kks.issue(_kecamatan_digits(kelurahan), issued.strftime("%d%m%y"))
        street = rng.choice(_STREETS).replace("_", " ").upper()
        if rng.random() < 0.3:
            alamat = f"JL. {street} GG. {rng.choice(_ROMAN)} NO. {rng.randint(1, 120)}"
        elif rng.random() < 0.15:
            alamat = f"DSN. {regions.kelurahan_names[kelurahan].upper()} NO. {rng.randint(1, 80)}"
        else:
            alamat = f"JL. {street} NO. {rng.randint(1, 250)}"
        poverty = wealth + (0.25 if any(p.prefix or p.suffix for p in members) else 0.0)
        if widowed:
            poverty -= 0.1
        indices = []
        for person in members:
            person.kelurahan = kelurahan
            indices.append(len(people))
            people.append(person)
        families.append(
            _Family(
                kk=kk,
                kelurahan=kelurahan,
                alamat=alamat,
                rt=f"{rng.randint(1, 12):03d}",
                rw=f"{rng.randint(1, 8):03d}",
                members=indices,
                poverty=poverty,
            )
        )
        if progress and len(people) >= next_report:
            progress(min(len(people), people_target), people_target)
            next_report += 10_000
    return people, families, niks


def _new_person(rng: random.Random, sex: str, age: int, family: int) -> _Person:
    birth = _random_day(rng, REFERENCE_DATE.year - age)
    # Many people born before birth registration was usual were given a conventional date
    # when they got their first identity card: 1 July, 31 December or 1 January.
    if birth.year < 1965 and rng.random() < (0.35 if birth.year < 1955 else 0.15):
        month, day = rng.choice(((7, 1), (7, 1), (12, 31), (1, 1)))
        birth = dt.date(birth.year, month, day)
    return _Person(tokens=_given_names(rng, sex, birth.year), sex=sex, birth=birth, family=family)


def _dress(person: _Person, rng: random.Random, wealth: float) -> None:
    """Titles, spelling and the registered name, which depend on age and means."""
    age = REFERENCE_DATE.year - person.birth.year
    if person.birth.year < 1961:
        person.old_spelling = rng.random() < 0.4
    elif person.birth.year < 1972:
        person.old_spelling = rng.random() < 0.15
    else:
        person.old_spelling = rng.random() < 0.02
    richer = wealth > 0.5
    female = person.sex == Sex.FEMALE
    if age >= 40 and rng.random() < (0.07 if richer else 0.012):
        person.prefix = "Hj." if female else "H."
    if age >= 24 and rng.random() < (0.08 if richer else 0.01):
        if person.birth.year < 1975 and rng.random() < 0.5:
            title = rng.choice(_FEMALE_PREFIX_TITLES[1:] if female else _MALE_PREFIX_TITLES[1:])
            person.prefix = f"{person.prefix} {title}".strip()
        else:
            person.suffix = rng.choice(_SUFFIX_TITLES)
    person.name = _render(
        person,
        rng,
        old=person.old_spelling,
        prefix=person.prefix,
        suffix=person.suffix,
        bin_part=person.bin,
    )
    if rng.random() < 0.9:
        person.birthplace = "KEDIRI"
    else:
        person.birthplace = rng.choice(_BIRTHPLACE_ELSEWHERE)


def _issue_nik(person: _Person, rng: random.Random, niks: _Numbers, kelurahan: str) -> None:
    """The kecamatan of first issue: where the person lives for most, elsewhere in Kota
    Kediri for some, elsewhere in East Java (mostly Kabupaten Kediri) for those who came."""
    regions = _regions()
    roll = rng.random()
    if person.birthplace != "KEDIRI" or roll < 0.08:
        pool = regions.kecamatan_kab_kediri if rng.random() < 0.5 else regions.kecamatan_elsewhere
        region = rng.choice(pool)
    elif roll < 0.25:
        region = rng.choice(("357101", "357102", "357103"))
    else:
        region = _kecamatan_digits(kelurahan)
    person.nik = niks.issue(region, nik_date_digits(person.birth, person.sex))


def _life_events(rng: random.Random, people: list[_Person], families: list[_Family]) -> None:
    """Deaths (mostly of the old) and moves out of the city (whole families, and some grown
    children on their own)."""
    regions = _regions()
    for person in people:
        age = REFERENCE_DATE.year - person.birth.year
        chance = 0.08 if age >= 75 else 0.04 if age >= 65 else 0.01 if age >= 50 else 0.002
        if rng.random() < chance:
            person.alive = False
            start = max(person.birth, dt.date(2016, 1, 1)).toordinal()
            person.died = dt.date.fromordinal(rng.randint(start, REFERENCE_DATE.toordinal()))
    for family in families:
        if rng.random() < MOVED_OUT_FAMILY_SHARE:
            village = _village_elsewhere(rng, regions)
            for index in family.members:
                people[index].kelurahan = village
        else:
            for index in family.members[1:]:
                person = people[index]
                if (
                    REFERENCE_DATE.year - person.birth.year >= 18
                    and rng.random() < MOVED_OUT_PERSON_SHARE * 3
                ):
                    person.kelurahan = _village_elsewhere(rng, regions)


def _village_elsewhere(rng: random.Random, regions: _Regions) -> str:
    if rng.random() < 0.7:
        return rng.choice(regions.villages_kab_kediri)
    return rng.choice(regions.villages_elsewhere)


# --------------------------------------------------------------------------------------------
# DTKS


@dataclass(slots=True)
class _DtksRow:
    person: int | None  # index into people; None for someone the registry does not know
    values: dict[str, str]
    tags: list[str]


def _dtks_row(
    rng: random.Random,
    person: _Person,
    family: _Family,
    people: list[_Person],
    registry_niks: dict[str, int],
    programme: str,
    desil: int,
) -> tuple[dict[str, str], list[str]]:
    """One DTKS row for a registry person, with errors drawn at ``DTKS_ERROR_RATES``."""
    rates = DTKS_ERROR_RATES
    tags: list[str] = []
    regions = _regions()

    nik = person.nik
    roll = rng.random()
    others = [people[i].nik for i in family.members if people[i] is not person]
    if roll < rates["nik_blank"]:
        nik = ""
        tags.append("nik_blank")
    elif roll < rates["nik_blank"] + rates["nik_typo"]:
        position = rng.randrange(len(nik))
        digit = rng.choice([d for d in "0123456789" if d != nik[position]])
        nik = nik[:position] + digit + nik[position + 1 :]
        tags.append("nik_typo")
        if nik in registry_niks:
            tags.append("nik_other_person")
    elif roll < rates["nik_blank"] + rates["nik_typo"] + rates["nik_family"] and others:
        nik = rng.choice(others)
        tags.append("nik_family")

    # The name.
    old: bool | str = person.old_spelling
    if person.old_spelling and rng.random() < rates["spelling_modern"]:
        old = False
        tags.append("spelling_modern")
    elif (
        not person.old_spelling
        and rng.random() < rates["spelling_old"]
        and _has_new_spelling(person.tokens)
    ):
        old = "partial"
        tags.append("spelling_old")
    vary = False
    if ("Muhammad" in person.tokens or person.tokens[0] == "Ahmad") and rng.random() < rates[
        "muhammad_variant"
    ]:
        vary = True
        tags.append("muhammad_variant")
    prefix, suffix = person.prefix, person.suffix
    age = REFERENCE_DATE.year - person.birth.year
    if (prefix or suffix) and rng.random() < rates["title_dropped"]:
        prefix = suffix = ""
        tags.append("title_dropped")
    elif not (prefix or suffix) and age >= 30 and rng.random() < rates["title_added"]:
        if age >= 45 and rng.random() < 0.5:
            prefix = "Hj." if person.sex == Sex.FEMALE else "H."
        else:
            suffix = rng.choice(_SUFFIX_TITLES)
        tags.append("title_added")
    prefix = " ".join(rng.choice(_TITLE_SPELLINGS.get(t, (t,))) for t in prefix.split())
    suffix = rng.choice(_TITLE_SPELLINGS.get(suffix, (suffix,))) if suffix else ""
    bin_part = person.bin
    if bin_part and rng.random() < rates["bin_dropped"]:
        bin_part = ""
        tags.append("bin_dropped")
    droppable = len(person.tokens) >= 3 or (
        len(person.tokens) == 2 and person.tokens[0] in _DROPPABLE_FIRST
    )
    drop = droppable and rng.random() < rates["name_token_dropped"]
    if drop:
        tags.append("name_token_dropped")
    typo = rng.random() < rates["name_typo"]
    if typo:
        tags.append("name_typo")
    nama = _render(
        person,
        rng,
        old=old,
        prefix=prefix,
        suffix=suffix,
        bin_part=bin_part,
        vary_forms=vary,
        upper=rng.random() < 0.65,
        drop_token=drop,
        typo=typo,
    )

    # The birth date.
    birth: dt.date | None = person.birth
    if birth.day <= 12 and birth.day != birth.month and rng.random() < rates["dob_swapped"]:
        birth = dt.date(birth.year, birth.day, birth.month)
        tags.append("dob_swapped")
    elif rng.random() < rates["dob_typo"]:
        if rng.random() < 0.5:
            year = birth.year + rng.choice((-1, 1))
            birth = birth.replace(year=year, day=min(birth.day, 28))
        else:
            birth = birth.replace(day=rng.choice([d for d in range(1, 29) if d != birth.day]))
        tags.append("dob_typo")
    elif (birth.month, birth.day) not in ((1, 1), (7, 1)) and rng.random() < rates["dob_default"]:
        birth = dt.date(birth.year, rng.choice((1, 7)), 1)
        tags.append("dob_default")
    elif rng.random() < rates["dob_blank"]:
        birth = None
        tags.append("dob_blank")

    sex = person.sex
    if rng.random() < rates["sex_wrong"]:
        sex = Sex.FEMALE if sex == Sex.MALE else Sex.MALE
        tags.append("sex_wrong")
    kelurahan = person.kelurahan
    if rng.random() < rates["kelurahan_other"]:
        kelurahan = rng.choice([k for k in regions.kelurahan if k != kelurahan])
        tags.append("kelurahan_other")
    kk = family.kk
    roll = rng.random()
    if roll < rates["kk_blank"]:
        kk = ""
        tags.append("kk_blank")
    elif roll < rates["kk_blank"] + rates["kk_other"]:
        kk = kk[:6] + f"{rng.randint(1, 28):02d}{rng.randint(1, 12):02d}{rng.randint(10, 24)}"
        kk += f"{rng.randint(1, 60):04d}"
        tags.append("kk_other")
    if not person.alive:
        tags.append("deceased")
    if not person.kelurahan.startswith(CITY + "."):
        tags.append("moved_out")
    alamat = family.alamat
    if rng.random() < 0.4:
        alamat = alamat.replace("JL. ", "JALAN ").replace("NO. ", "")
    if rng.random() < 0.5:
        alamat = f"{alamat} RT {int(family.rt)} RW {int(family.rw)}"
    values = {
        "nik": nik,
        "no_kk": kk,
        "nama": nama,
        "tanggal_lahir": birth.isoformat() if birth else "",
        "jenis_kelamin": sex,
        "alamat": alamat,
        "kode_kelurahan": kelurahan,
        "program": programme,
        "desil": str(desil),
    }
    return values, tags


def _stranger(
    rng: random.Random, niks: _Numbers, programme: str, desil: int
) -> tuple[dict[str, str], list[str]]:
    """A DTKS row for someone the civil registry does not know (registered elsewhere, never
    recorded, or made up): a plausible name and date, a blank NIK or one nobody holds."""
    regions = _regions()
    sex = Sex.MALE if rng.random() < 0.5 else Sex.FEMALE
    age = rng.randint(1, 85)
    person = _new_person(rng, sex, age, -1)
    nama = _render(person, rng, old=False, prefix="", suffix="", bin_part="")
    kelurahan = rng.choices(regions.kelurahan, regions.kelurahan_weights)[0]
    nik = ""
    if rng.random() < 0.65:
        region = rng.choice(("357101", "357102", "357103"))
        nik = niks.unused(region, nik_date_digits(person.birth, sex), rng)
    values = {
        "nik": nik,
        "no_kk": "",
        "nama": nama,
        "tanggal_lahir": person.birth.isoformat(),
        "jenis_kelamin": sex,
        "alamat": f"JL. {rng.choice(_STREETS).replace('_', ' ').upper()} NO. {rng.randint(1, 99)}",
        "kode_kelurahan": kelurahan,
        "program": programme,
        "desil": str(desil),
    }
    return values, ["not_in_registry"]


def _programme(rng: random.Random, family: _Family, people: list[_Person]) -> str:
    has_children = any(REFERENCE_DATE.year - people[i].birth.year < 18 for i in family.members)
    if has_children and rng.random() < 0.5:
        return "PKH"
    return rng.choices(PROGRAMMES, (5, 30, 40, 15, 10))[0]


def _make_dtks(
    rng: random.Random,
    people: list[_Person],
    families: list[_Family],
    niks: _Numbers,
    rows_target: int,
) -> list[_DtksRow]:
    registry_niks = {person.nik: i for i, person in enumerate(people)}
    duplicates = round(rows_target * DUPLICATE_SHARE)
    strangers = round(rows_target * NOT_IN_REGISTRY_SHARE)
    from_registry = max(0, rows_target - duplicates - strangers)
    order = sorted(range(len(families)), key=lambda i: (families[i].poverty, i))
    rows: list[_DtksRow] = []
    for rank, family_index in enumerate(order):
        if len(rows) >= from_registry:
            break
        family = families[family_index]
        programme = _programme(rng, family, people)
        desil = min(10, 1 + int(4 * rank / max(1, len(families) / 3)))
        for index in family.members:
            if len(rows) >= from_registry:
                break
            if rng.random() < 0.07:  # not every member is listed
                continue
            row_desil = desil if rng.random() < 0.9 else rng.randint(1, 10)
            values, tags = _dtks_row(
                rng, people[index], family, people, registry_niks, programme, row_desil
            )
            rows.append(_DtksRow(index, values, tags))
    for _ in range(duplicates):
        if not rows:
            break
        original = rows[rng.randrange(len(rows))]
        if original.person is None:
            continue
        person = people[original.person]
        values, tags = _dtks_row(
            rng,
            person,
            families[person.family],
            people,
            registry_niks,
            rng.choice(PROGRAMMES),
            int(original.values["desil"]),
        )
        rows.append(_DtksRow(original.person, values, [*tags, "duplicate"]))
        if "duplicate" not in original.tags:
            original.tags.append("duplicate")
    for _ in range(strangers):
        values, tags = _stranger(rng, niks, rng.choice(PROGRAMMES), rng.randint(1, 6))
        rows.append(_DtksRow(None, values, tags))
    rng.shuffle(rows)
    return rows


def _exclusions(
    rng: random.Random, people: list[_Person], families: list[_Family], dtks: list[_DtksRow]
) -> list[tuple[str, str]]:
    """Civil servants, soldiers and police: mostly from better-off families, a few from the
    DTKS (the inclusion errors the exclusion check exists to find)."""
    chosen: dict[int, str] = {}
    for index, person in enumerate(people):
        age = REFERENCE_DATE.year - person.birth.year
        if not (20 <= age <= 58) or not person.alive:
            continue
        better_off = families[person.family].poverty > 0.6
        if rng.random() < EXCLUDED_SHARE * (1.8 if better_off else 0.2):
            chosen[index] = rng.choices(EXCLUSION_KINDS, (70, 15, 15))[0]
    in_dtks = [row for row in dtks if row.person is not None]
    for row in rng.sample(in_dtks, min(len(in_dtks), round(len(dtks) * EXCLUDED_DTKS_SHARE))):
        assert row.person is not None  # noqa: S101 (filtered above; for the type checker)
        chosen.setdefault(row.person, rng.choices(EXCLUSION_KINDS, (70, 15, 15))[0])
    return [(people[i].nik, kind) for i, kind in sorted(chosen.items())]


def generate(
    people: int,
    out_dir: Path,
    *,
    seed: int = 1,
    dtks_rows: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SynthSummary:
    """Write ``dukcapil.csv``, ``dtks.csv``, ``truth.csv`` and ``exclusions.csv`` into
    ``out_dir`` (created if needed) for a city of ``people`` residents and a DTKS extract of
    ``dtks_rows`` rows (a third of the people by default). ``progress(done, total)`` is called
    with counts of people generated, then of rows written."""
    if people < 10:
        raise ValueError("a synthetic registry needs at least 10 people")
    started = time.perf_counter()
    rng = random.Random(seed)  # noqa: S311 (made-up data, nothing secret)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    rows_target = people // 3 if dtks_rows is None else dtks_rows
    total = people + rows_target

    persons, families, niks = _make_registry(
        rng, people, (lambda done, _: progress(done, total)) if progress else None
    )
    persons = persons[:people]
    # A family cut by the size limit keeps the members that made it.
    families[-1].members = [i for i in families[-1].members if i < people]
    _life_events(rng, persons, families)
    dtks = _make_dtks(rng, persons, families, niks, rows_target)
    exclusions = _exclusions(rng, persons, families, dtks)
    excluded = {nik for nik, _ in exclusions}

    dukcapil_path = out_dir / "dukcapil.csv"
    with open(dukcapil_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(DUKCAPIL_COLUMNS)
        for family in families:
            for index in family.members:
                person = persons[index]
                writer.writerow(
                    (
                        person.nik,
                        family.kk,
                        person.name,
                        person.birthplace,
                        person.birth.isoformat(),
                        person.sex,
                        family.alamat,
                        family.rt,
                        family.rw,
                        person.kelurahan,
                        "HIDUP" if person.alive else "MATI",
                        person.died.isoformat() if person.died else "",
                        person.relationship,
                    )
                )
    dtks_path = out_dir / "dtks.csv"
    truth_path = out_dir / "truth.csv"
    tags: Counter[str] = Counter()
    with (
        open(dtks_path, "w", newline="", encoding="utf-8") as dtks_handle,
        open(truth_path, "w", newline="", encoding="utf-8") as truth_handle,
    ):
        dtks_writer = csv.writer(dtks_handle)
        truth_writer = csv.writer(truth_handle)
        dtks_writer.writerow(DTKS_COLUMNS)
        truth_writer.writerow(TRUTH_COLUMNS)
        for number, row in enumerate(dtks, start=1):
            id_dtks = f"DT{number:07d}"
            true_nik = persons[row.person].nik if row.person is not None else ""
            if true_nik in excluded:
                row.tags.append("excluded")
            tags.update(row.tags)
            dtks_writer.writerow((id_dtks, *(row.values[c] for c in DTKS_COLUMNS[1:])))
            truth_writer.writerow((id_dtks, true_nik, ";".join(row.tags)))
            if progress and number % 10_000 == 0:
                progress(people + number, total)
    exclusions_path = out_dir / "exclusions.csv"
    with open(exclusions_path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(EXCLUSION_COLUMNS)
        writer.writerows(exclusions)
    if progress:
        progress(total, total)
    return SynthSummary(
        dukcapil=dukcapil_path,
        dtks=dtks_path,
        truth=truth_path,
        exclusions=exclusions_path,
        people=len(persons),
        families=len(families),
        deceased=sum(not p.alive for p in persons),
        moved_out=sum(not p.kelurahan.startswith(CITY + ".") for p in persons),
        dtks_rows=len(dtks),
        not_in_registry=tags["not_in_registry"],
        duplicates=sum(1 for row in dtks if "duplicate" in row.tags),
        excluded=len(exclusions),
        seconds=time.perf_counter() - started,
        tags=dict(sorted(tags.items())),
    )

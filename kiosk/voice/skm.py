"""The SKM survey's shape (PermenPANRB 14/2017): stable keys, never positions.

The regulation lists *penanganan pengaduan* 8th and *sarana prasarana* 9th, its sample
questionnaire the other way round (research G, A.2): answers are stored under these
keys so no one ever has to know which numbering a record used. The questions and the
four answers per element (values 1-4, in the annex's order) are resident words, so
they live in the template ``survei.html``; a test checks that it asks exactly these
keys.
"""

from __future__ import annotations

from ..records import SURVEY_UNSUR, SURVEY_WHEN

ELEMENTS = SURVEY_UNSUR  # the record's keys (kiosk/records.py), in the questionnaire's order
VALUES = (1, 2, 3, 4)

# Respondent fields of the annex, coarse on purpose (no exact age: a village is small).
GENDERS = ("L", "P")
AGE_BANDS = ("di-bawah-20", "20-29", "30-39", "40-49", "50-59", "60-ke-atas")
EDUCATION = ("tidak-sekolah", "sd", "smp", "sma", "diploma", "s1", "s2-s3")
OCCUPATIONS = (
    "pns",
    "tni-polri",
    "swasta",
    "wirausaha",
    "petani-nelayan",
    "buruh",
    "ibu-rumah-tangga",
    "pelajar-mahasiswa",
    "lainnya",
)
WHEN = SURVEY_WHEN

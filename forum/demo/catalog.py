"""Fixed facts of the demo event: categories, delegations, company and job vocabularies."""

from __future__ import annotations

from dataclasses import dataclass

from forum.events.models import Admission


@dataclass(frozen=True)
class CategorySpec:
    slug: str
    names: dict[str, str]
    admission: Admission
    needs_approval: bool
    badge_colour: str
    quota: int | None


EVENT_CAPACITY = 25_000

CATEGORIES: tuple[CategorySpec, ...] = (
    CategorySpec("attendee", {"en": "Attendee", "ru": "Участник", "kk": "Қатысушы"},
                 Admission.OPEN, False, "#1f6feb", None),
    CategorySpec("speaker", {"en": "Speaker", "ru": "Спикер", "kk": "Баяндамашы"},
                 Admission.ORGANIZER, False, "#8250df", 400),
    CategorySpec("delegate", {"en": "Delegate", "ru": "Делегат", "kk": "Делегат"},
                 Admission.DELEGATION, False, "#1a7f37", 3_000),
    CategorySpec("exhibitor", {"en": "Exhibitor", "ru": "Экспонент",
                               "kk": "Көрмеге қатысушы"},
                 Admission.COMPANY, False, "#bf8700", 2_500),
    CategorySpec("press", {"en": "Press", "ru": "Пресса", "kk": "Баспасөз"},
                 Admission.OPEN, True, "#c21c8b", 500),
    CategorySpec("vip", {"en": "VIP guest", "ru": "VIP-гость", "kk": "Құрметті қонақ"},
                 Admission.ORGANIZER, False, "#000000", 250),
    CategorySpec("staff", {"en": "Organizing staff", "ru": "Организатор",
                           "kk": "Ұйымдастырушы"},
                 Admission.ORGANIZER, False, "#57606a", 400),
    CategorySpec("volunteer", {"en": "Volunteer", "ru": "Волонтёр", "kk": "Ерікті"},
                 Admission.ORGANIZER, False, "#0a7ea4", 600),
)

# Colours given up, per category: demo events created with them are recoloured when the demo
# command runs again (press used the scanner's "denied" red, #b42318's near twin).
RETIRED_COLOURS: dict[str, tuple[str, str]] = {"press": ("#cf222e", "#c21c8b")}

# The 30 invited country delegations: ISO 3166-1 alpha-2 → official name.
DELEGATIONS: dict[str, str] = {
    "UZ": "Republic of Uzbekistan", "KG": "Kyrgyz Republic", "TJ": "Republic of Tajikistan",
    "TM": "Turkmenistan", "RU": "Russian Federation", "BY": "Republic of Belarus",
    "AZ": "Republic of Azerbaijan", "TR": "Republic of Türkiye", "GE": "Georgia",
    "AM": "Republic of Armenia", "MN": "Mongolia", "CN": "People's Republic of China",
    "KR": "Republic of Korea", "JP": "Japan", "IN": "Republic of India",
    "SG": "Republic of Singapore", "AE": "United Arab Emirates",
    "SA": "Kingdom of Saudi Arabia", "QA": "State of Qatar", "EG": "Arab Republic of Egypt",
    "US": "United States of America", "GB": "United Kingdom", "CA": "Canada",
    "AU": "Australia", "DE": "Federal Republic of Germany", "AT": "Republic of Austria",
    "FR": "French Republic", "IT": "Italian Republic", "ES": "Kingdom of Spain",
    "PL": "Republic of Poland",
}
# Neighbours and close partners send larger delegations.
LARGE_DELEGATIONS = frozenset({"UZ", "KG", "TJ", "TM", "RU", "CN", "TR", "AZ"})

# Where the IT companies are based: mostly Kazakhstan and Central Asia.
COMPANY_COUNTRIES: tuple[tuple[str, int], ...] = (
    ("KZ", 52), ("UZ", 9), ("KG", 5), ("TJ", 2), ("TM", 1), ("RU", 5), ("BY", 1),
    ("AZ", 2), ("TR", 3), ("GE", 1), ("AM", 2), ("MN", 1), ("CN", 3), ("KR", 2), ("JP", 1),
    ("IN", 2), ("SG", 1), ("AE", 2), ("SA", 1), ("US", 2), ("GB", 1), ("DE", 1), ("FR", 1),
    ("PL", 1),
)
# Where people registering on their own come from.
ATTENDEE_COUNTRIES: tuple[tuple[str, int], ...] = (
    ("KZ", 76), ("UZ", 5), ("KG", 4), ("RU", 4), ("TJ", 1), ("AZ", 1), ("TR", 1),
    ("CN", 1), ("KR", 1), ("IN", 1), ("US", 1), ("DE", 1), ("GB", 1), ("AE", 1), ("MN", 1),
)
REGIONAL = frozenset({"KZ", "UZ", "KG", "TJ", "TM"})

LEGAL_FORMS: dict[str, str] = {
    "KZ": "LLP", "TR": "A.Ş.", "CN": "Co., Ltd.", "KR": "Co., Ltd.", "JP": "Co., Ltd.",
    "SG": "Pte. Ltd.", "IN": "Pvt. Ltd.", "AE": "FZ-LLC", "US": "Inc.", "GB": "Ltd",
    "DE": "GmbH", "FR": "SAS", "PL": "sp. z o.o.",
}
DEFAULT_LEGAL_FORM = "LLC"


def _words(text: str) -> tuple[str, ...]:
    return tuple(text.split())


# Kazakh and Central Asian words name local firms; the others name firms anywhere.
REGIONAL_STEMS = _words(
    "Qazaq Steppe Nomad Altyn Tengri Baiterek Saryarka Zhetysu Turan Aral Irbis Berkut "
    "Tulpar Samal Orda Ulytau Shanyraq Kokzhal Alatau Ertis Esil Tumar Arkar Kunai Sunkar"
)
GLOBAL_STEMS = _words(
    "Quantum Vertex Nimbus Orbit Pixel Vector Cobalt Helix Lumen Nova Apex Cipher Delta "
    "Beacon Kernel Stratus Photon Neuron Atlas Zenith Prism Signal Bridge Harbor Granite "
    "Summit Falcon Aurora Meridian Caravan Oasis Silkway Horizon"
)
COMPANY_SUFFIXES = _words(
    "Soft Tech Labs Data Cloud Systems AI Digital Networks Solutions Analytics Security "
    "Robotics Pay Logic Dynamics Telecom Software IT Code"
)
HALLS = "ABCD"

JOB_TITLES: dict[str, tuple[str, ...]] = {
    "attendee": ("Software Engineer", "Senior Software Engineer", "Product Manager",
                 "Data Scientist", "Chief Technology Officer", "Founder", "DevOps Engineer",
                 "UX Designer", "Business Analyst", "Head of IT", "Researcher", "Student",
                 "Investment Manager", "QA Engineer", "Project Manager", "Marketing Manager",
                 "Mobile Developer", "Information Security Officer"),
    "delegate": ("Deputy Minister", "Head of Department", "Senior Adviser", "Counsellor",
                 "Trade Representative", "Chief Expert", "Director of Digital Policy",
                 "First Secretary", "Head of International Cooperation"),
    "exhibitor": ("Sales Manager", "Solutions Architect", "Business Development Manager",
                  "Marketing Lead", "Pre-sales Engineer", "Chief Executive Officer",
                  "Product Owner", "Account Manager"),
    "press": ("Journalist", "Editor", "Photographer", "Correspondent", "Camera Operator",
              "Technology Reporter"),
    "speaker": ("Chief Technology Officer", "Founder & CEO", "VP of Engineering",
                "Professor of Computer Science", "Head of AI Research", "Venture Partner",
                "Chief Digital Officer"),
    "vip": ("Minister", "Ambassador", "Chairman of the Board", "Governor",
            "Chief Executive Officer", "President"),
    "staff": ("Event Coordinator", "Registration Desk Lead", "Security Coordinator",
              "Technical Support", "Hall Manager", "Protocol Officer"),
    "volunteer": ("Volunteer", "Volunteer Team Lead", "Guide", "Interpreter"),
}

GOVERNMENT_BODIES = ("Ministry of Digital Development", "Ministry of Foreign Affairs",
                     "Ministry of Economy", "Investment Promotion Agency",
                     "National IT Agency", "Embassy in Kazakhstan")
VIP_ORGANIZATIONS = ("Government of the Republic of Kazakhstan", "Astana Hub",
                     "National Bank", "Sovereign Wealth Fund", "Embassy in Kazakhstan")
UNIVERSITIES = ("Astana Digital University", "Almaty Technical University",
                "Karaganda Engineering Institute", "Shymkent IT College",
                "Eurasian Business School", "Caspian University of Technology")
PRESS_OUTLETS = ("Steppe Tech News", "Digital Astana Daily", "Eurasia IT Review", "Qazaq Wire",
                 "Silk Road Times", "Central Asia Tech", "Business Almaty", "Kapital Weekly")
ORGANIZER = "Digital Bridge Organizing Committee"

# Mobile operator prefixes of Kazakhstan (+7 7xx); other countries vary their example number.
KZ_MOBILE_PREFIXES = ("700", "701", "702", "705", "707", "708", "747", "771", "775",
                      "776", "777", "778")

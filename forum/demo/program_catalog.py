"""Fixed facts of the demo program: halls, tracks, topics and title patterns in kk, ru, en."""

from __future__ import annotations

from dataclasses import dataclass

from forum.program.models import SessionKind

K = SessionKind


@dataclass(frozen=True)
class RoomSpec:
    slug: str
    name: dict[str, str]
    capacity: int
    location: str
    interpretation: bool
    kinds: tuple[SessionKind, ...]  # what is planned there, in turn


ROOMS: tuple[RoomSpec, ...] = (
    RoomSpec("plenary", {"en": "Plenary Hall", "ru": "Пленарный зал", "kk": "Пленарлық зал"},
             2500, "Level 1", True, (K.KEYNOTE,)),
    RoomSpec("hall-a", {"en": "Hall A", "ru": "Зал A", "kk": "A залы"}, 600, "Level 1", True,
             (K.PANEL, K.KEYNOTE)),
    RoomSpec("hall-b", {"en": "Hall B", "ru": "Зал B", "kk": "B залы"}, 400, "Level 2", True,
             (K.KEYNOTE, K.PANEL)),
    RoomSpec("hall-c", {"en": "Hall C", "ru": "Зал C", "kk": "C залы"}, 300, "Level 2", False,
             (K.PANEL,)),
    RoomSpec("startup-stage", {"en": "Startup Stage", "ru": "Стартап-сцена",
                               "kk": "Стартап сахнасы"}, 250, "Expo hall", False, (K.PITCH,)),
    RoomSpec("workshop-1", {"en": "Workshop Room 1", "ru": "Мастер-класс 1",
                            "kk": "Шеберхана 1"}, 40, "Level 3", False, (K.WORKSHOP,)),
    RoomSpec("workshop-2", {"en": "Workshop Room 2", "ru": "Мастер-класс 2",
                            "kk": "Шеберхана 2"}, 40, "Level 3", False, (K.WORKSHOP,)),
    RoomSpec("lounge", {"en": "Networking Lounge", "ru": "Нетворкинг-зона",
                        "kk": "Нетворкинг аймағы"}, 500, "Atrium", False, (K.NETWORKING,)),
)

# slug, colour, name {en, ru, kk}, topics (en, ru, kk)
TRACKS: tuple[tuple[str, str, dict[str, str], tuple[tuple[str, str, str], ...]], ...] = (
    ("ai", "#8250df", {"en": "Artificial intelligence", "ru": "Искусственный интеллект",
                       "kk": "Жасанды интеллект"}, (
        ("Generative AI in public services", "Генеративный ИИ в госуслугах",
         "Мемлекеттік қызметтердегі генеративті ЖИ"),
        ("Large language models for Kazakh", "Большие языковые модели для казахского языка",
         "Қазақ тіліне арналған үлкен тілдік модельдер"),
        ("AI in healthcare", "ИИ в здравоохранении", "Денсаулық сақтаудағы ЖИ"),
        ("Computer vision in industry", "Компьютерное зрение в промышленности",
         "Өнеркәсіптегі компьютерлік көру"),
        ("Responsible AI and regulation", "Ответственный ИИ и регулирование",
         "Жауапты ЖИ және реттеу"),
        ("Data centres and compute", "Дата-центры и вычислительные мощности",
         "Деректер орталықтары және есептеу қуаты"))),
    ("fintech", "#1a7f37", {"en": "Fintech", "ru": "Финтех", "kk": "Финтех"}, (
        ("Open banking", "Открытый банкинг", "Ашық банкинг"),
        ("Instant payments across borders", "Мгновенные трансграничные платежи",
         "Шекарааралық лезде төлемдер"),
        ("The digital tenge", "Цифровой тенге", "Цифрлық теңге"),
        ("Islamic fintech", "Исламский финтех", "Исламдық финтех"),
        ("Credit scoring with alternative data", "Кредитный скоринг на альтернативных данных",
         "Балама деректерге негізделген кредиттік скоринг"),
        ("Crypto assets in the AIFC", "Криптоактивы в МФЦА", "АХҚО-дағы криптоактивтер"))),
    ("govtech", "#0a7ea4", {"en": "Govtech", "ru": "Госуслуги и GovTech",
                            "kk": "Мемлекеттік технологиялар"}, (
        ("eGov mobile: the next ten years", "eGov mobile: следующие десять лет",
         "eGov mobile: келесі он жыл"),
        ("Digital ID for citizens", "Цифровая идентификация граждан",
         "Азаматтардың цифрлық сәйкестендіруі"),
        ("Smart cities of Central Asia", "Умные города Центральной Азии",
         "Орталық Азияның ақылды қалалары"),
        ("Open data in government", "Открытые данные в госуправлении",
         "Мемлекеттік басқарудағы ашық деректер"),
        ("Digital skills for civil servants", "Цифровые навыки госслужащих",
         "Мемлекеттік қызметшілердің цифрлық дағдылары"),
        ("Paperless courts", "Суды без бумаги", "Қағазсыз соттар"))),
    ("startups", "#bf8700", {"en": "Startups", "ru": "Стартапы", "kk": "Стартаптар"}, (
        ("Raising a seed round in Astana", "Посевной раунд в Астане",
         "Астанада посевтік раунд тарту"),
        ("From Kazakhstan to the world", "Из Казахстана на весь мир", "Қазақстаннан әлемге"),
        ("Venture capital in Central Asia", "Венчурный капитал в Центральной Азии",
         "Орталық Азиядағы венчурлық капитал"),
        ("Product-market fit", "Соответствие продукта рынку", "Өнімнің нарыққа сәйкестігі"),
        ("Startups and corporations", "Стартапы и корпорации", "Стартаптар және корпорациялар"),
        ("Deep tech founders", "Основатели deep tech-компаний",
         "Deep tech компанияларының негізін қалаушылар"))),
    ("cybersecurity", "#cf222e", {"en": "Cybersecurity", "ru": "Кибербезопасность",
                                  "kk": "Киберқауіпсіздік"}, (
        ("Protecting critical infrastructure", "Защита критической инфраструктуры",
         "Маңызды инфрақұрылымды қорғау"),
        ("Ransomware response", "Реагирование на программы-вымогатели",
         "Бопсалаушы бағдарламаларға қарсы әрекет"),
        ("Zero trust in practice", "Нулевое доверие на практике", "Нөлдік сенім тәжірибеде"),
        ("Security of payment systems", "Безопасность платёжных систем",
         "Төлем жүйелерінің қауіпсіздігі"),
        ("Personal data protection", "Защита персональных данных", "Дербес деректерді қорғау"),
        ("Capture the flag, live", "Capture the flag в прямом эфире",
         "Capture the flag тікелей эфирде"))),
    ("e-commerce", "#57606a", {"en": "E-commerce", "ru": "Электронная коммерция",
                               "kk": "Электрондық коммерция"}, (
        ("Marketplaces of the Silk Road", "Маркетплейсы Шёлкового пути",
         "Жібек жолының маркетплейстері"),
        ("Last-mile logistics", "Логистика последней мили", "Соңғы миль логистикасы"),
        ("Cross-border e-commerce", "Трансграничная электронная торговля",
         "Шекарааралық электрондық сауда"),
        ("Super apps", "Суперприложения", "Суперқосымшалар"),
        ("Retail analytics", "Аналитика в ритейле", "Бөлшек саудадағы аналитика"),
        ("Payments at checkout", "Платежи на кассе", "Кассадағы төлемдер"))),
)

# kind → title pattern per language ({} is the topic)
TITLES: dict[SessionKind, dict[str, str]] = {
    K.KEYNOTE: {"en": "Keynote: {}", "ru": "Ключевой доклад: {}", "kk": "Негізгі баяндама: {}"},
    K.PANEL: {"en": "{}: panel discussion", "ru": "{}: панельная дискуссия",
              "kk": "{}: панельдік талқылау"},
    K.WORKSHOP: {"en": "Workshop: {}", "ru": "Мастер-класс: {}", "kk": "Шеберлік сабағы: {}"},
    K.PITCH: {"en": "Pitch session: {}", "ru": "Питч-сессия: {}", "kk": "Питч-сессия: {}"},
}
NETWORKING: tuple[dict[str, str], ...] = (
    {"en": "Networking: {}", "ru": "Нетворкинг: {}", "kk": "Нетворкинг: {}"},
    {"en": "Meet the speakers: {}", "ru": "Встреча со спикерами: {}",
     "kk": "Спикерлермен кездесу: {}"},
    {"en": "Coffee meetup: {}", "ru": "Кофе-встреча: {}", "kk": "Кофе-кездесу: {}"},
    {"en": "Community circle: {}", "ru": "Круг сообщества: {}", "kk": "Қауымдастық шеңбері: {}"},
)
PART = {"en": " (part {})", "ru": " (часть {})", "kk": " ({}-бөлім)"}
DESCRIPTION = {"en": "Topic: {}. With practitioners from across the region.",
               "ru": "Тема: {}. С участием практиков со всего региона.",
               "kk": "Тақырыбы: {}. Аймақтың түкпір-түкпірінен келген сарапшылармен."}
OPENING = {"en": "Opening plenary: Digital Bridge", "ru": "Открытие форума Digital Bridge",
           "kk": "Digital Bridge форумының ашылуы"}
CLOSING = {"en": "Closing plenary: the digital Silk Road",
           "ru": "Закрытие форума: цифровой Шёлковый путь",
           "kk": "Форумның жабылуы: цифрлық Жібек жолы"}

# How many speakers a session of each kind has, and the role of the first when a moderator.
SPEAKERS_PER_KIND = {K.PLENARY: 4, K.KEYNOTE: 1, K.PANEL: 5, K.WORKSHOP: 2, K.PITCH: 4,
                     K.NETWORKING: 0}
MODERATED = frozenset({K.PLENARY, K.PANEL})
TALK_LANGUAGES = (("ru", 45), ("en", 35), ("kk", 20))

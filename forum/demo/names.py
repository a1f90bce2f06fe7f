"""Name pools of the cultures the forum's participants come from.

A token is ``Latin`` or ``Latin:Cyrillic``; the Cyrillic spelling is given where people of
that culture normally write their name in Cyrillic (Kazakh with its own letters
ә ғ қ ң ө ұ ү һ і, Russian, Kyrgyz, Tajik, Uzbek, Mongolian).
Surnames are listed in their masculine form; ``gendered`` cultures derive the feminine one.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Culture:
    male: tuple[tuple[str, str], ...]
    female: tuple[tuple[str, str], ...]
    surnames: tuple[tuple[str, str], ...]
    gendered: bool


def _pairs(text: str) -> tuple[tuple[str, str], ...]:
    return tuple((tok.partition(":")[0], tok.partition(":")[2]) for tok in text.split())


def _culture(male: str, female: str, surnames: str, *, gendered: bool = False) -> Culture:
    return Culture(_pairs(male), _pairs(female), _pairs(surnames), gendered)


CULTURES: dict[str, Culture] = {
    "kz": _culture(
        "Nurlan:Нұрлан Kairat:Қайрат Galym:Ғалым Yerlan:Ерлан Dauren:Дәурен Saken:Сәкен "
        "Serik:Серік Bauyrzhan:Бауыржан Alikhan:Әлихан Arman:Арман Dinmukhamed:Дінмұхамед "
        "Omirzak:Өмірзақ Askar:Асқар Yerzhan:Ержан Nurzhan:Нұржан Daniyar:Данияр "
        "Aidos:Айдос Shakhmardan:Шаһмардан Zhandos:Жандос Miras:Мирас Sanzhar:Санжар "
        "Azamat:Азамат Yerkebulan:Еркебұлан Temirlan:Темірлан Abylai:Абылай",
        "Assel:Әсел Aigul:Айгүл Umit:Үміт Zhuldyz:Жұлдыз Gulnar:Гүлнар Madina:Мәдина "
        "Akmaral:Ақмарал Aizhan:Айжан Botagoz:Ботагөз Dinara:Динара Saule:Сәуле "
        "Shugyla:Шұғыла Shakhizada:Шаһизада Aruzhan:Аружан Aliya:Әлия Gaukhar:Гауһар "
        "Moldir:Мөлдір Ainur:Айнұр Tomiris:Томирис Anel:Әнел Togzhan:Тоғжан Zhanar:Жанар "
        "Nazym:Назым Aisulu:Айсұлу Balnur:Балнұр",
        "Kassymov:Қасымов Nurlanov:Нұрланов Seitov:Сейітов Abilov:Әбілов "
        "Zhakypov:Жақыпов Omarov:Омаров Sarsenbayev:Сәрсенбаев Bekbolatov:Бекболатов "
        "Mukhametzhanov:Мұхаметжанов Yerzhanov:Ержанов Smagulov:Смағұлов Ospanov:Оспанов "
        "Kudaibergenov:Құдайбергенов Akhmetov:Ахметов Issabekov:Исабеков "
        "Duisenbayev:Дүйсенбаев Baizhanov:Байжанов Tokhtarov:Тоқтаров "
        "Zhumabekov:Жұмабеков Abdrakhmanov:Әбдірахманов Iskakov:Ысқақов Kaliyev:Қалиев "
        "Tulegenov:Төлегенов Sultanbekov:Сұлтанбеков Myrzakhmetov:Мырзахметов "
        "Yessenov:Есенов Amanzholov:Аманжолов Beisenov:Бейсенов Orazbayev:Оразбаев "
        "Kenzhebekov:Кенжебеков Syzdykov:Сыздықов Tanatarov:Таңатаров",
        gendered=True),
    "ru": _culture(
        "Alexey:Алексей Dmitry:Дмитрий Sergey:Сергей Andrey:Андрей Ivan:Иван "
        "Mikhail:Михаил Nikolay:Николай Pavel:Павел Artem:Артём Maxim:Максим "
        "Vladimir:Владимир Konstantin:Константин Igor:Игорь Denis:Денис Roman:Роман",
        "Anna:Анна Elena:Елена Olga:Ольга Natalia:Наталья Maria:Мария Tatiana:Татьяна "
        "Ekaterina:Екатерина Irina:Ирина Svetlana:Светлана Yulia:Юлия "
        "Anastasia:Анастасия Daria:Дарья Ksenia:Ксения Victoria:Виктория",
        "Ivanov:Иванов Petrov:Петров Smirnov:Смирнов Kuznetsov:Кузнецов Popov:Попов "
        "Volkov:Волков Sokolov:Соколов Lebedev:Лебедев Kozlov:Козлов Novikov:Новиков "
        "Morozov:Морозов Pavlov:Павлов Fedorov:Фёдоров Orlov:Орлов Belov:Белов "
        "Vasiliev:Васильев Zaitsev:Зайцев Nikitin:Никитин Sorokin:Сорокин Egorov:Егоров "
        "Gusev:Гусев Titov:Титов Kovalenko:Коваленко Tkachenko:Ткаченко",
        gendered=True),
    "uz": _culture(
        "Rustam:Рустам Jasur:Жасур Sardor:Сардор Bekzod:Бекзод Dilshod:Дилшод Aziz:Азиз "
        "Otabek:Отабек Shokhrukh:Шохрух Sanjar:Санжар Jahongir:Жахонгир",
        "Dilnoza:Дилноза Nodira:Нодира Gulnora:Гулнора Malika:Малика Shakhnoza:Шахноза "
        "Sevara:Севара Nilufar:Нилуфар Zarina:Зарина Kamola:Камола",
        "Karimov:Каримов Yusupov:Юсупов Rakhimov:Рахимов Abdullayev:Абдуллаев "
        "Mirzayev:Мирзаев Ismoilov:Исмоилов Nazarov:Назаров Sobirov:Собиров "
        "Tursunov:Турсунов Khodjayev:Ходжаев",
        gendered=True),
    "kg": _culture(
        "Azamat:Азамат Bakyt:Бакыт Nurbek:Нурбек Talant:Талант Emil:Эмиль Aibek:Айбек "
        "Kanybek:Каныбек Ermek:Эрмек Chyngyz:Чынгыз",
        "Aizada:Айзада Cholpon:Чолпон Nazira:Назира Begimai:Бегимай Aidai:Айдай "
        "Aikerim:Айкерим Zhyldyz:Жылдыз Meerim:Мээрим",
        "Asanov:Асанов Usenov:Усенов Toktogulov:Токтогулов Osmonov:Осмонов "
        "Sadykov:Садыков Zhumabayev:Жумабаев Abdyldayev:Абдылдаев Mamytov:Мамытов "
        "Kadyrov:Кадыров",
        gendered=True),
    "tj": _culture(
        "Farrukh:Фаррух Firdavs:Фирдавс Daler:Далер Jamshed:Джамшед Behruz:Бехруз "
        "Parviz:Парвиз Sukhrob:Сухроб",
        "Nigina:Нигина Farangis:Фарангис Mehrona:Мехрона Zarina:Зарина Shahlo:Шахло "
        "Manizha:Манижа",
        "Rahmonov:Рахмонов Saidov:Саидов Sharipov:Шарипов Davlatov:Давлатов "
        "Mirzoyev:Мирзоев Safarov:Сафаров Nazarov:Назаров",
        gendered=True),
    "tm": _culture(
        "Merdan Serdar Berdi Dovlet Myrat Batyr Kerim",
        "Ogulnabat Aybolek Jeren Maya Gulshat Aynur",
        "Atayev Berdiyev Orazov Annayev Myradov Gurbanov Charyyev Hojayev",
        gendered=True),
    "az": _culture(
        "Elchin Rashad Tural Orkhan Farid Kamran Vugar Samir",
        "Leyla Aynur Gunay Sabina Nigar Aysel Narmin",
        "Aliyev Mammadov Huseynov Hasanov Guliyev Ismayilov Abbasov Babayev Rzayev",
        gendered=True),
    "tr": _culture(
        "Mehmet Ahmet Emre Burak Can Mert Murat Kerem",
        "Ayşe Elif Zeynep Selin Ece Merve Deniz",
        "Yılmaz Kaya Demir Şahin Çelik Öztürk Aydın Arslan Doğan Koç"),
    "ge": _culture(
        "Giorgi Levan David Nikoloz Irakli Luka",
        "Nino Tamar Mariam Ana Salome Ketevan",
        "Beridze Kapanadze Gelashvili Lomidze Tsiklauri Maisuradze Javakhishvili Abashidze"),
    "am": _culture(
        "Armen Davit Tigran Aram Hayk Gor Narek",
        "Anna Lilit Ani Mariam Gayane Nare",
        "Petrosyan Hakobyan Sargsyan Grigoryan Harutyunyan Khachatryan Hovhannisyan "
        "Avetisyan"),
    "mn": _culture(
        "Bat-Erdene:Бат-Эрдэнэ Temuulen:Тэмүүлэн Ganbaatar:Ганбаатар Enkhbold:Энхболд "
        "Tuvshin:Түвшин Bold:Болд",
        "Oyuntsetseg:Оюунцэцэг Enkhjargal:Энхжаргал Sarangerel:Сарангэрэл Nomin:Номин "
        "Anu:Ану Solongo:Солонго",
        "Batbayar:Батбаяр Gantulga:Гантулга Tsogt:Цогт Dorj:Дорж Erdenebat:Эрдэнэбат "
        "Sukhbaatar:Сүхбаатар Purevdorj:Пүрэвдорж Otgonbayar:Отгонбаяр"),
    "cn": _culture(
        "Wei Jun Hao Lei Tao Ming Qiang Bo Yu",
        "Jing Na Xin Yan Fang Hui Ying Mei",
        "Wang Li Zhang Liu Chen Yang Huang Zhao Zhou Wu Xu Sun Tan Lim Ng"),
    "kr": _culture(
        "Min-jun Seo-jun Ji-ho Hyun-woo Jae-won Dong-hyun",
        "Seo-yeon Ji-woo Min-seo Ha-eun Soo-jin Ye-jin",
        "Kim Lee Park Choi Jung Kang Cho Yoon Jang Lim"),
    "jp": _culture(
        "Haruto Sota Yuto Ren Takumi Kenji Hiroshi",
        "Sakura Yui Aoi Hina Yuki Mei Akiko",
        "Sato Suzuki Takahashi Tanaka Watanabe Ito Yamamoto Nakamura Kobayashi Kato"),
    "in": _culture(
        "Arjun Rahul Vikram Aditya Rohan Sanjay Karthik Amit",
        "Priya Ananya Neha Kavya Divya Pooja Aishwarya Meera",
        "Sharma Patel Gupta Iyer Reddy Singh Nair Menon Rao Joshi Kumar Mehta"),
    "ar": _culture(
        "Mohammed Ahmed Omar Khalid Youssef Hassan Ali Faisal Saeed Tariq",
        "Fatima Aisha Mariam Noor Layla Huda Sara Reem Amira",
        "Al-Mansouri Al-Hashimi Al-Farsi Al-Qahtani Al-Otaibi Haddad Nasser Khalil "
        "Mahmoud Abdelrahman Saleh Hamdan"),
    "en": _culture(
        "James John Michael David Robert Daniel Thomas Oliver William Benjamin Samuel",
        "Emma Olivia Sarah Emily Jessica Sophie Charlotte Hannah Laura Grace",
        "Smith Johnson Brown Taylor Wilson Davies Evans Clark Walker Wright Hughes Miller "
        "Anderson Thompson Martin Roberts"),
    "de": _culture(
        "Lukas Jonas Felix Maximilian Paul Leon Tobias Stefan Markus",
        "Anna Lena Laura Julia Sophie Katharina Sarah Hannah Lea",
        "Müller Schmidt Schneider Fischer Weber Meyer Wagner Becker Hoffmann Schulz Koch "
        "Bauer"),
    "fr": _culture(
        "Lucas Hugo Louis Thomas Nicolas Julien Antoine Mathieu",
        "Camille Léa Chloé Manon Julie Sophie Claire Émilie",
        "Martin Bernard Dubois Durand Leroy Moreau Laurent Lefèvre Roux Girard"),
    "it": _culture(
        "Marco Luca Alessandro Matteo Giuseppe Francesco Andrea Davide",
        "Giulia Francesca Chiara Sara Martina Elena Valentina Alessia",
        "Rossi Russo Ferrari Esposito Bianchi Romano Colombo Ricci Marino Greco"),
    "es": _culture(
        "Alejandro Pablo Javier Carlos Daniel David Sergio Manuel",
        "Lucía María Paula Laura Marta Elena Carmen Sofía",
        "García Fernández González Rodríguez López Martínez Sánchez Pérez Gómez Ruiz"),
    "pl": _culture(
        "Jakub Piotr Tomasz Krzysztof Michał Paweł Marcin Kamil",
        "Anna Katarzyna Magdalena Agnieszka Joanna Aleksandra Zofia Natalia",
        "Nowak Kowalski Wiśniewski Wójcik Kowalczyk Kamiński Lewandowski Zieliński "
        "Szymański Woźniak",
        gendered=True),
}

# Which cultures a country's people come from, with weights (Kazakhstan is multi-ethnic).
COUNTRY_CULTURES: dict[str, tuple[tuple[str, int], ...]] = {
    "KZ": (("kz", 72), ("ru", 24), ("uz", 2), ("kr", 2)),
    "RU": (("ru", 92), ("kz", 4), ("tj", 2), ("uz", 2)),
    "BY": (("ru", 1),), "UZ": (("uz", 1),), "KG": (("kg", 1),), "TJ": (("tj", 1),),
    "TM": (("tm", 1),), "AZ": (("az", 1),), "TR": (("tr", 1),), "GE": (("ge", 1),),
    "AM": (("am", 1),), "MN": (("mn", 1),), "CN": (("cn", 1),), "SG": (("cn", 3), ("in", 1)),
    "KR": (("kr", 1),), "JP": (("jp", 1),), "IN": (("in", 1),), "AE": (("ar", 1),),
    "SA": (("ar", 1),), "QA": (("ar", 1),), "EG": (("ar", 1),), "US": (("en", 1),),
    "GB": (("en", 1),), "CA": (("en", 1),), "AU": (("en", 1),), "DE": (("de", 1),),
    "AT": (("de", 1),), "FR": (("fr", 1),), "IT": (("it", 1),), "ES": (("es", 1),),
    "PL": (("pl", 1),),
}

_LATIN_FEMININE = (("ski", "ska"), ("cki", "cka"), ("ov", "ova"), ("ev", "eva"),
                   ("in", "ina"))
_CYRILLIC_FEMININE = (("ский", "ская"), ("ов", "ова"), ("ев", "ева"), ("ёв", "ёва"),
                      ("ин", "ина"))


def feminine(surname: str, cyrillic: bool) -> str:
    """The feminine form of a Slavic-pattern surname (Ivanov → Ivanova, Қасымов → Қасымова)."""
    for ending, replacement in _CYRILLIC_FEMININE if cyrillic else _LATIN_FEMININE:
        if surname.endswith(ending):
            return surname[: -len(ending)] + replacement
    return surname

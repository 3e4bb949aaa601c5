"""A made-up but realistic office: countries, organisations, people, anniversaries and years of
meetings in English, Russian and Kazakh, generated from a seed so every run is the same."""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Protocol, TypeVar

from protocol_desk.domain.dates import MonthDay, Precision
from protocol_desk.domain.models import (
    ActionStatus,
    AgreedAction,
    Anniversary,
    AnniversaryKind,
    Confidentiality,
    Country,
    Meeting,
    MeetingFormat,
    Organisation,
    OrganisationKind,
    Participant,
    Person,
    PersonName,
    Position,
    Side,
    Source,
)

T = TypeVar("T")

PROVENANCE = "generated for the benchmark"

# Per meeting: people, anniversaries and agreed actions (DESIGN.md: 100,000 meetings come with
# 20,000 people, 5,000 anniversaries and 50,000 actions).
PEOPLE_PER_MEETING = 0.2
ANNIVERSARIES_PER_MEETING = 0.05
OUR_SHARE_OF_PEOPLE = 0.05
YEARS_OF_HISTORY = 30

# Words the benchmark searches for: one in very few meetings, one in most of them, a prefix.
RARE_WORDS = ("geothermal", "beekeeping", "glaciology", "геотермальный", "омарташылық")
RARE_SHARE = 0.0005  # of meetings mentioning one of the rare words (each: 1 in 10,000)
COMMON_WORD = "cooperation"
PREFIX = "co"

# --- names ---------------------------------------------------------------------------------
# (Latin, Russian, Kazakh) spellings of Kazakh given names and surnames.
KZ_MEN = (
    ("Mukhtar", "Мухтар", "Мұхтар"),
    ("Askar", "Аскар", "Асқар"),
    ("Nurlan", "Нурлан", "Нұрлан"),
    ("Yerlan", "Ерлан", "Ерлан"),
    ("Bauyrzhan", "Бауыржан", "Бауыржан"),
    ("Dauren", "Даурен", "Дәурен"),
    ("Kairat", "Кайрат", "Қайрат"),
    ("Serik", "Серик", "Серік"),
    ("Beibit", "Бейбит", "Бейбіт"),
    ("Zhanibek", "Жанибек", "Жәнібек"),
    ("Galym", "Галым", "Ғалым"),
    ("Olzhas", "Олжас", "Олжас"),
    ("Sultan", "Султан", "Сұлтан"),
    ("Talgat", "Талгат", "Талғат"),
    ("Kuanysh", "Куаныш", "Қуаныш"),
    ("Bolat", "Болат", "Болат"),
    ("Maulen", "Маулен", "Мәулен"),
    ("Darkhan", "Дархан", "Дархан"),
    ("Yermek", "Ермек", "Ермек"),
    ("Ualikhan", "Уалихан", "Уәлихан"),
    ("Aidos", "Айдос", "Айдос"),
    ("Arman", "Арман", "Арман"),
    ("Azamat", "Азамат", "Азамат"),
    ("Berik", "Берик", "Берік"),
    ("Daniyar", "Данияр", "Данияр"),
    ("Yerbol", "Ербол", "Ербол"),
    ("Zhandos", "Жандос", "Жандос"),
    ("Marat", "Марат", "Марат"),
    ("Nurzhan", "Нуржан", "Нұржан"),
    ("Rustem", "Рустем", "Рүстем"),
    ("Samat", "Самат", "Самат"),
    ("Timur", "Тимур", "Тимур"),
    ("Yerzhan", "Ержан", "Ержан"),
    ("Kanat", "Канат", "Қанат"),
    ("Askhat", "Асхат", "Асхат"),
    ("Abylai", "Абылай", "Абылай"),
    ("Kassym-Jomart", "Касым-Жомарт", "Қасым-Жомарт"),
    ("Ardak", "Ардак", "Ардақ"),
    ("Murat", "Мурат", "Мұрат"),
    ("Saken", "Сакен", "Сәкен"),
)
KZ_WOMEN = (
    ("Aigul", "Айгуль", "Айгүл"),
    ("Zhanar", "Жанар", "Жанар"),
    ("Gulnar", "Гульнар", "Гүлнар"),
    ("Saule", "Сауле", "Сәуле"),
    ("Aliya", "Алия", "Әлия"),
    ("Asel", "Асель", "Әсел"),
    ("Ainur", "Айнур", "Айнұр"),
    ("Gulmira", "Гульмира", "Гүлмира"),
    ("Zhuldyz", "Жулдыз", "Жұлдыз"),
    ("Botagoz", "Ботагоз", "Ботагөз"),
    ("Dana", "Дана", "Дана"),
    ("Madina", "Мадина", "Мадина"),
    ("Dinara", "Динара", "Динара"),
    ("Aizhan", "Айжан", "Айжан"),
    ("Kamila", "Камила", "Камила"),
    ("Assem", "Асем", "Әсем"),
    ("Laura", "Лаура", "Лаура"),
    ("Akmaral", "Акмарал", "Ақмарал"),
    ("Gaukhar", "Гаухар", "Гауһар"),
    ("Raushan", "Раушан", "Раушан"),
    ("Dariga", "Дарига", "Дариға"),
    ("Balzhan", "Балжан", "Балжан"),
    ("Meruert", "Меруерт", "Меруерт"),
    ("Symbat", "Сымбат", "Сымбат"),
)
_KZ_FAMILIAR_SURNAMES: tuple[tuple[str, str, str], ...] = (
    ("Kul-Mukhammed", "Кул-Мухаммед", "Құл-Мұхаммед"),
    ("Ashimbayev", "Ашимбаев", "Әшімбаев"),
    ("Abdrakhmanov", "Абдрахманов", "Әбдірахманов"),
    ("Zhaksybekov", "Жаксыбеков", "Жақсыбеков"),
    ("Sarsenbayev", "Сарсенбаев", "Сәрсенбаев"),
    ("Kassymov", "Касымов", "Қасымов"),
    ("Tulegenov", "Тулегенов", "Төлегенов"),
    ("Baimukhanov", "Баймуханов", "Баймұханов"),
    ("Nurpeisov", "Нурпеисов", "Нұрпейісов"),
    ("Iskakov", "Искаков", "Ысқақов"),
    ("Mukanov", "Муканов", "Мұқанов"),
    ("Sadykov", "Садыков", "Садықов"),
    ("Zhumabayev", "Жумабаев", "Жұмабаев"),
    ("Utebayev", "Утебаев", "Өтебаев"),
    ("Syzdykov", "Сыздыков", "Сыздықов"),
    ("Serikbayev", "Серикбаев", "Серікбаев"),
    ("Karimov", "Каримов", "Кәрімов"),
    ("Galiyev", "Галиев", "Ғалиев"),
    ("Khakimov", "Хакимов", "Һакімов"),
    ("Ongarov", "Онгаров", "Оңғаров"),
    ("Uskenbayev", "Ускенбаев", "Үскенбаев"),
    ("Nurmagambetov", "Нурмагамбетов", "Нұрмағамбетов"),
)
# Many more Kazakh surnames, made as the language makes them: a name's root and a patronymic
# ending (Nurbayev, Amanzhanov, Tokhtarov, Yesengaliyev), in the same three spellings. An office
# of 200,000 people has thousands of surnames, not a few dozen.
KZ_SURNAME_ROOTS = (
    ("Abai", "Абай", "Абай"),
    ("Aman", "Аман", "Аман"),
    ("Aset", "Асет", "Әсет"),
    ("Baizhan", "Байжан", "Байжан"),
    ("Berik", "Берик", "Берік"),
    ("Dosym", "Досым", "Досым"),
    ("Yesen", "Есен", "Есен"),
    ("Zhan", "Жан", "Жан"),
    ("Zhaksy", "Жаксы", "Жақсы"),
    ("Kaldy", "Калды", "Қалды"),
    ("Kenzhe", "Кенже", "Кенже"),
    ("Mukhit", "Мухит", "Мұхит"),
    ("Nur", "Нур", "Нұр"),
    ("Oraz", "Ораз", "Ораз"),
    ("Sarsen", "Сарсен", "Сәрсен"),
    ("Seit", "Сеит", "Сейіт"),
    ("Tokhtar", "Тохтар", "Тоқтар"),
    ("Temir", "Темир", "Темір"),
    ("Tles", "Тлес", "Тілес"),
    ("Utep", "Утеп", "Өтеп"),
    ("Shaimer", "Шаймер", "Шаймер"),
    ("Kussain", "Кусаин", "Құсайын"),
    ("Zhumagul", "Жумагул", "Жұмағұл"),
    ("Yerzhan", "Ержан", "Ержан"),
    ("Baktygul", "Бактыгул", "Бақтығұл"),
    ("Tursyn", "Турсын", "Тұрсын"),
    ("Kudaiber", "Кудайбер", "Құдайбер"),
    ("Sagyn", "Сагын", "Сағын"),
    ("Omar", "Омар", "Омар"),
    ("Akhmet", "Ахмет", "Ахмет"),
    ("Yergali", "Ергали", "Ерғали"),
    ("Duisen", "Дуйсен", "Дүйсен"),
    ("Myrzakhmet", "Мырзахмет", "Мырзахмет"),
    ("Kozhakhmet", "Кожахмет", "Қожахмет"),
    ("Bekmukhamed", "Бекмухамед", "Бекмұхамед"),
    ("Abil", "Абиль", "Әбіл"),
    ("Ermek", "Ермек", "Ермек"),
    ("Kaiyrbek", "Каирбек", "Қайырбек"),
    ("Sultan", "Султан", "Сұлтан"),
    ("Tasbolat", "Тасболат", "Тасболат"),
)
KZ_SURNAME_ENDINGS = (
    ("bayev", "баев", "баев"),
    ("bekov", "беков", "беков"),
    ("ov", "ов", "ов"),
    ("zhanov", "жанов", "жанов"),
    ("galiyev", "галиев", "ғалиев"),
)


def _kazakh_surnames() -> tuple[tuple[str, str, str], ...]:
    made = list(_KZ_FAMILIAR_SURNAMES)
    for root in KZ_SURNAME_ROOTS:
        for ending in KZ_SURNAME_ENDINGS:
            if ending[0] == "ov" and root[0][-1] in "aeiouy":
                continue  # -ov follows a consonant (Tokhtarov; not Zhaksyov)
            name = tuple(root[i] + ending[i] for i in range(3))
            if all(name[0] != known[0] for known in made):
                made.append((name[0], name[1], name[2]))
    return tuple(made)


KZ_SURNAMES = _kazakh_surnames()

# (Latin, Russian) given names and surnames by region; a woman's surname is derived below.
FOREIGN_NAMES: dict[str, tuple[tuple[tuple[str, str], ...], tuple[tuple[str, str], ...]]] = {
    "ru": (
        (
            ("Sergey", "Сергей"),
            ("Andrei", "Андрей"),
            ("Vladimir", "Владимир"),
            ("Dmitry", "Дмитрий"),
            ("Nikolai", "Николай"),
            ("Yuri", "Юрий"),
            ("Natalia", "Наталья"),
            ("Olga", "Ольга"),
            ("Irina", "Ирина"),
            ("Svetlana", "Светлана"),
            ("Alexei", "Алексей"),
            ("Mikhail", "Михаил"),
            ("Pavel", "Павел"),
            ("Igor", "Игорь"),
            ("Oleg", "Олег"),
            ("Viktor", "Виктор"),
            ("Konstantin", "Константин"),
            ("Grigory", "Григорий"),
            ("Valentina", "Валентина"),
            ("Tatiana", "Татьяна"),
            ("Elena", "Елена"),
            ("Marina", "Марина"),
            ("Yekaterina", "Екатерина"),
            ("Anastasia", "Анастасия"),
        ),
        (
            ("Rachkov", "Рачков"),
            ("Sergeyenko", "Сергеенко"),
            ("Volkov", "Волков"),
            ("Kozlov", "Козлов"),
            ("Morozov", "Морозов"),
            ("Sokolov", "Соколов"),
            ("Lebedev", "Лебедев"),
            ("Orlov", "Орлов"),
            ("Zaitsev", "Зайцев"),
            ("Vinogradov", "Виноградов"),
            ("Kuznetsov", "Кузнецов"),
            ("Fyodorov", "Фёдоров"),
            ("Ivanov", "Иванов"),
            ("Smirnov", "Смирнов"),
            ("Popov", "Попов"),
            ("Vasiliev", "Васильев"),
            ("Petrov", "Петров"),
            ("Novikov", "Новиков"),
            ("Pavlov", "Павлов"),
            ("Semyonov", "Семёнов"),
            ("Golubev", "Голубев"),
            ("Bogdanov", "Богданов"),
            ("Vorobyov", "Воробьёв"),
            ("Mikhailov", "Михайлов"),
            ("Belyaev", "Беляев"),
            ("Tarasov", "Тарасов"),
            ("Belov", "Белов"),
            ("Komarov", "Комаров"),
            ("Kiselev", "Киселёв"),
            ("Makarov", "Макаров"),
            ("Andreev", "Андреев"),
            ("Kovalev", "Ковалёв"),
            ("Ilyin", "Ильин"),
            ("Gusev", "Гусев"),
            ("Titov", "Титов"),
            ("Kuzmin", "Кузьмин"),
            ("Kudryavtsev", "Кудрявцев"),
            ("Baranov", "Баранов"),
            ("Kulikov", "Куликов"),
            ("Alekseev", "Алексеев"),
            ("Stepanov", "Степанов"),
            ("Yakovlev", "Яковлев"),
            ("Sorokin", "Сорокин"),
            ("Sergeev", "Сергеев"),
            ("Romanov", "Романов"),
            ("Zakharov", "Захаров"),
            ("Borisov", "Борисов"),
            ("Korolev", "Королёв"),
            ("Gerasimov", "Герасимов"),
            ("Ponomarev", "Пономарёв"),
            ("Grigoriev", "Григорьев"),
            ("Lazarev", "Лазарев"),
            ("Medvedev", "Медведев"),
            ("Ershov", "Ершов"),
            ("Nikitin", "Никитин"),
            ("Sobolev", "Соболев"),
            ("Ryabov", "Рябов"),
            ("Polyakov", "Поляков"),
            ("Tsvetkov", "Цветков"),
            ("Danilov", "Данилов"),
            ("Zhukov", "Жуков"),
            ("Frolov", "Фролов"),
            ("Zhuravlev", "Журавлёв"),
            ("Nikolaev", "Николаев"),
            ("Krylov", "Крылов"),
            ("Maksimov", "Максимов"),
            ("Sidorov", "Сидоров"),
            ("Osipov", "Осипов"),
            ("Belousov", "Белоусов"),
            ("Fedotov", "Федотов"),
            ("Dorofeev", "Дорофеев"),
            ("Egorov", "Егоров"),
            ("Matveev", "Матвеев"),
            ("Bobrov", "Бобров"),
            ("Dmitriev", "Дмитриев"),
            ("Kalinin", "Калинин"),
            ("Anisimov", "Анисимов"),
            ("Petukhov", "Петухов"),
            ("Antonov", "Антонов"),
            ("Timofeev", "Тимофеев"),
            ("Nikiforov", "Никифоров"),
            ("Veselov", "Веселов"),
            ("Filippov", "Филиппов"),
            ("Markov", "Марков"),
            ("Bolshakov", "Большаков"),
            ("Sukhanov", "Суханов"),
            ("Mironov", "Миронов"),
            ("Shiryaev", "Ширяев"),
            ("Aleksandrov", "Александров"),
            ("Konovalov", "Коновалов"),
            ("Shestakov", "Шестаков"),
            ("Kazakov", "Казаков"),
            ("Efimov", "Ефимов"),
            ("Denisov", "Денисов"),
            ("Gromov", "Громов"),
            ("Fomin", "Фомин"),
            ("Davydov", "Давыдов"),
            ("Melnikov", "Мельников"),
            ("Shcherbakov", "Щербаков"),
            ("Blinov", "Блинов"),
            ("Kolesnikov", "Колесников"),
            ("Karpov", "Карпов"),
            ("Afanasiev", "Афанасьев"),
            ("Vlasov", "Власов"),
            ("Maslov", "Маслов"),
            ("Isakov", "Исаков"),
            ("Tikhonov", "Тихонов"),
            ("Aksyonov", "Аксёнов"),
            ("Gavrilov", "Гаврилов"),
            ("Rodionov", "Родионов"),
            ("Kotov", "Котов"),
            ("Gorbunov", "Горбунов"),
            ("Kudryashov", "Кудряшов"),
            ("Bykov", "Быков"),
            ("Zuev", "Зуев"),
            ("Tretyakov", "Третьяков"),
            ("Savelyev", "Савельев"),
            ("Panov", "Панов"),
            ("Rybakov", "Рыбаков"),
            ("Suvorov", "Суворов"),
            ("Abramov", "Абрамов"),
            ("Voronov", "Воронов"),
            ("Mukhin", "Мухин"),
            ("Arkhipov", "Архипов"),
            ("Trofimov", "Трофимов"),
            ("Martynov", "Мартынов"),
            ("Emelyanov", "Емельянов"),
            ("Gorshkov", "Горшков"),
            ("Chernov", "Чернов"),
            ("Ovchinnikov", "Овчинников"),
            ("Seleznev", "Селезнёв"),
            ("Panfilov", "Панфилов"),
            ("Kopylov", "Копылов"),
            ("Mikheev", "Михеев"),
            ("Galkin", "Галкин"),
            ("Nazarov", "Назаров"),
            ("Lobanov", "Лобанов"),
            ("Lukin", "Лукин"),
            ("Belyakov", "Беляков"),
            ("Potapov", "Потапов"),
            ("Nekrasov", "Некрасов"),
            ("Khokhlov", "Хохлов"),
            ("Zhdanov", "Жданов"),
            ("Naumov", "Наумов"),
            ("Shilov", "Шилов"),
            ("Vorontsov", "Воронцов"),
            ("Ermakov", "Ермаков"),
            ("Drozdov", "Дроздов"),
            ("Ignatiev", "Игнатьев"),
            ("Savin", "Савин"),
            ("Loginov", "Логинов"),
            ("Safonov", "Сафонов"),
            ("Kapustin", "Капустин"),
            ("Kirillov", "Кириллов"),
            ("Moiseev", "Моисеев"),
            ("Eliseev", "Елисеев"),
            ("Koshelev", "Кошелев"),
            ("Kostin", "Костин"),
            ("Gorbachev", "Горбачёв"),
            ("Orekhov", "Орехов"),
            ("Efremov", "Ефремов"),
            ("Isaev", "Исаев"),
            ("Evdokimov", "Евдокимов"),
            ("Kalashnikov", "Калашников"),
            ("Kabanov", "Кабанов"),
            ("Noskov", "Носков"),
            ("Yudin", "Юдин"),
            ("Kulagin", "Кулагин"),
            ("Lapin", "Лапин"),
            ("Prokhorov", "Прохоров"),
            ("Nesterov", "Нестеров"),
            ("Kharitonov", "Харитонов"),
            ("Agafonov", "Агафонов"),
            ("Muravyov", "Муравьёв"),
            ("Laptev", "Лаптев"),
            ("Snegirev", "Снегирёв"),
            ("Gurov", "Гуров"),
            ("Tsarev", "Царёв"),
            ("Kondratiev", "Кондратьев"),
            ("Bondarenko", "Бондаренко"),
            ("Kravchenko", "Кравченко"),
            ("Shevchenko", "Шевченко"),
            ("Tkachenko", "Ткаченко"),
            ("Kovalenko", "Коваленко"),
            ("Matvienko", "Матвиенко"),
            ("Borodavkin", "Бородавкин"),
            ("Krotov", "Кротов"),
        ),
    ),
    "tr": (
        (
            ("Mehmet", "Мехмет"),
            ("Ayşe", "Айше"),
            ("Mustafa", "Мустафа"),
            ("Hüseyin", "Хюсейн"),
            ("Zeynep", "Зейнеп"),
            ("Emre", "Эмре"),
            ("Elif", "Элиф"),
            ("Ahmet", "Ахмет"),
            ("Ali", "Али"),
            ("Murat", "Мурат"),
            ("Fatma", "Фатма"),
            ("Emine", "Эмине"),
            ("Burak", "Бурак"),
            ("Deniz", "Дениз"),
        ),
        (
            ("Yılmaz", "Йылмаз"),
            ("Öztürk", "Озтюрк"),
            ("Şahin", "Шахин"),
            ("Çelik", "Челик"),
            ("Kaya", "Кая"),
            ("Demir", "Демир"),
            ("Aydın", "Айдын"),
            ("Arslan", "Арслан"),
            ("Doğan", "Доган"),
            ("Kılıç", "Кылыч"),
            ("Çetin", "Четин"),
            ("Koç", "Коч"),
            ("Kurt", "Курт"),
            ("Özdemir", "Оздемир"),
            ("Yıldız", "Йылдыз"),
            ("Yıldırım", "Йылдырым"),
            ("Aktaş", "Акташ"),
            ("Erdem", "Эрдем"),
            ("Polat", "Полат"),
        ),
    ),
    "ca": (
        (
            ("Shavkat", "Шавкат"),
            ("Bakhtiyor", "Бахтиёр"),
            ("Nodira", "Нодира"),
            ("Azamat", "Азамат"),
            ("Gulnora", "Гульнора"),
            ("Rustam", "Рустам"),
            ("Elnur", "Эльнур"),
            ("Leyla", "Лейла"),
            ("Dilshod", "Дильшод"),
            ("Jamshid", "Джамшид"),
            ("Ulugbek", "Улугбек"),
            ("Farrukh", "Фаррух"),
            ("Sanjar", "Санжар"),
            ("Malika", "Малика"),
            ("Dilnoza", "Дильноза"),
            ("Aibek", "Айбек"),
            ("Kubanychbek", "Кубанычбек"),
            ("Sadyr", "Садыр"),
        ),
        (
            ("Rakhimov", "Рахимов"),
            ("Usmonov", "Усмонов"),
            ("Tashiev", "Ташиев"),
            ("Mammadov", "Мамедов"),
            ("Aliyev", "Алиев"),
            ("Sharipov", "Шарипов"),
            ("Berdiyev", "Бердыев"),
            ("Abdullayev", "Абдуллаев"),
            ("Saidov", "Саидов"),
            ("Tursunov", "Турсунов"),
            ("Khodjayev", "Ходжаев"),
            ("Ergashev", "Эргашев"),
            ("Nurmatov", "Нурматов"),
            ("Japarov", "Жапаров"),
            ("Mamytov", "Мамытов"),
            ("Niyazov", "Ниязов"),
            ("Gurbanov", "Гурбанов"),
            ("Huseynov", "Гусейнов"),
            ("Ismoilov", "Исмоилов"),
            ("Rahmonov", "Рахмонов"),
            ("Zokirov", "Зокиров"),
            ("Kadyrov", "Кадыров"),
            ("Asanov", "Асанов"),
            ("Toktogulov", "Токтогулов"),
            ("Yusupov", "Юсупов"),
            ("Mirzayev", "Мирзаев"),
            ("Kurbanov", "Курбанов"),
        ),
    ),
    "ea": (
        (
            ("Wei", "Вэй"),
            ("Jun", "Цзюнь"),
            ("Min-jun", "Мин Джун"),
            ("Hiroshi", "Хироси"),
            ("Yuki", "Юки"),
            ("Bat-Erdene", "Бат-Эрдэнэ"),
        ),
        (
            ("Wang", "Ван"),
            ("Zhang", "Чжан"),
            ("Kim", "Ким"),
            ("Park", "Пак"),
            ("Tanaka", "Танака"),
            ("Sato", "Сато"),
        ),
    ),
    "me": (
        (
            ("Ahmed", "Ахмед"),
            ("Fatima", "Фатима"),
            ("Khalid", "Халид"),
            ("Omar", "Омар"),
            ("Yousef", "Юсеф"),
            ("Priya", "Прия"),
            ("Arif", "Ариф"),
        ),
        (
            ("Al-Mansouri", "Аль-Мансури"),
            ("Al-Thani", "Аль-Тани"),
            ("Haddad", "Хаддад"),
            ("Nasser", "Насер"),
            ("Sharma", "Шарма"),
            ("Rahman", "Рахман"),
        ),
    ),
    "de": (
        (
            ("Jürgen", "Юрген"),
            ("Katrin", "Катрин"),
            ("Günter", "Гюнтер"),
            ("Sabine", "Сабина"),
            ("Michael", "Михаэль"),
            ("Petra", "Петра"),
        ),
        (
            ("Müller", "Мюллер"),
            ("Schröder", "Шрёдер"),
            ("Weiß", "Вайс"),
            ("Schmidt", "Шмидт"),
            ("Fischer", "Фишер"),
            ("Janssens", "Янсенс"),
        ),
    ),
    "fr": (
        (("François", "Франсуа"), ("Hélène", "Элен"), ("Jérôme", "Жером"), ("Amélie", "Амели")),
        (("Lefèvre", "Лефевр"), ("Dubois", "Дюбуа"), ("Moreau", "Моро"), ("Girard", "Жирар")),
    ),
    "ce": (
        (
            ("Łukasz", "Лукаш"),
            ("Małgorzata", "Малгожата"),
            ("László", "Ласло"),
            ("Zsófia", "Жофия"),
            ("Tomáš", "Томаш"),
            ("Ivana", "Ивана"),
        ),
        (
            ("Wiśniewski", "Вишневский"),
            ("Kovács", "Ковач"),
            ("Nagy", "Надь"),
            ("Dvořák", "Дворжак"),
            ("Petrović", "Петрович"),
            ("Ozola", "Озола"),
        ),
    ),
    "en": (
        (
            ("John", "Джон"),
            ("Sarah", "Сара"),
            ("David", "Дэвид"),
            ("Emma", "Эмма"),
            ("Carlos", "Карлос"),
            ("María", "Мария"),
            ("Giulia", "Джулия"),
            ("Lars", "Ларс"),
        ),
        (
            ("Smith", "Смит"),
            ("Johnson", "Джонсон"),
            ("García", "Гарсия"),
            ("Rossi", "Росси"),
            ("Andersson", "Андерссон"),
            ("Hansen", "Хансен"),
            ("O'Brien", "О'Брайен"),
        ),
    ),
}
SURNAME_FIRST = {"ea"}
FEMALE_GIVEN_NAMES = frozenset(
    [
        "Natalia",
        "Olga",
        "Irina",
        "Svetlana",
        "Valentina",
        "Tatiana",
        "Elena",
        "Marina",
        "Yekaterina",
        "Anastasia",
        "Ayşe",
        "Zeynep",
        "Elif",
        "Nodira",
        "Gulnora",
        "Leyla",
        "Fatma",
        "Emine",
        "Malika",
        "Dilnoza",
        "Yuki",
        "Fatima",
        "Priya",
        "Katrin",
        "Sabine",
        "Petra",
        "Hélène",
        "Amélie",
        "Małgorzata",
        "Zsófia",
        "Ivana",
        "Sarah",
        "Emma",
        "María",
        "Giulia",
    ]
)

# (English, Russian, Kazakh, ISO code, name region, capital, weight in meetings)
COUNTRIES: tuple[tuple[str, str, str, str, str, str, int], ...] = (
    ("Kazakhstan", "Казахстан", "Қазақстан", "KZ", "kz", "Astana", 0),
    ("Belarus", "Беларусь", "Беларусь", "BY", "ru", "Minsk", 20),
    ("Russia", "Россия", "Ресей", "RU", "ru", "Moscow", 40),
    ("Türkiye", "Турция", "Түркия", "TR", "tr", "Ankara", 30),
    ("Uzbekistan", "Узбекистан", "Өзбекстан", "UZ", "ca", "Tashkent", 30),
    ("Kyrgyzstan", "Кыргызстан", "Қырғызстан", "KG", "ca", "Bishkek", 25),
    ("Tajikistan", "Таджикистан", "Тәжікстан", "TJ", "ca", "Dushanbe", 12),
    ("Turkmenistan", "Туркменистан", "Түрікменстан", "TM", "ca", "Ashgabat", 10),
    ("Azerbaijan", "Азербайджан", "Әзербайжан", "AZ", "ca", "Baku", 15),
    ("Georgia", "Грузия", "Грузия", "GE", "ru", "Tbilisi", 8),
    ("Armenia", "Армения", "Армения", "AM", "ru", "Yerevan", 6),
    ("Ukraine", "Украина", "Украина", "UA", "ru", "Kyiv", 8),
    ("Moldova", "Молдова", "Молдова", "MD", "ru", "Chișinău", 3),
    ("China", "Китай", "Қытай", "CN", "ea", "Beijing", 30),
    ("Japan", "Япония", "Жапония", "JP", "ea", "Tokyo", 10),
    ("Republic of Korea", "Республика Корея", "Корея Республикасы", "KR", "ea", "Seoul", 10),
    ("Mongolia", "Монголия", "Моңғолия", "MN", "ea", "Ulaanbaatar", 6),
    ("India", "Индия", "Үндістан", "IN", "me", "New Delhi", 10),
    ("Pakistan", "Пакистан", "Пәкістан", "PK", "me", "Islamabad", 5),
    ("Iran", "Иран", "Иран", "IR", "me", "Tehran", 5),
    ("Germany", "Германия", "Германия", "DE", "de", "Berlin", 15),
    ("France", "Франция", "Франция", "FR", "fr", "Paris", 10),
    ("United Kingdom", "Великобритания", "Ұлыбритания", "GB", "en", "London", 8),
    ("Italy", "Италия", "Италия", "IT", "en", "Rome", 6),
    ("Spain", "Испания", "Испания", "ES", "en", "Madrid", 4),
    ("Poland", "Польша", "Польша", "PL", "ce", "Warsaw", 6),
    ("Hungary", "Венгрия", "Венгрия", "HU", "ce", "Budapest", 8),
    ("Czech Republic", "Чехия", "Чехия", "CZ", "ce", "Prague", 4),
    ("Austria", "Австрия", "Австрия", "AT", "de", "Vienna", 4),
    ("Switzerland", "Швейцария", "Швейцария", "CH", "de", "Bern", 4),
    ("Netherlands", "Нидерланды", "Нидерланд", "NL", "de", "Amsterdam", 3),
    ("Belgium", "Бельгия", "Бельгия", "BE", "de", "Brussels", 3),
    ("Sweden", "Швеция", "Швеция", "SE", "en", "Stockholm", 2),
    ("Norway", "Норвегия", "Норвегия", "NO", "en", "Oslo", 2),
    ("Finland", "Финляндия", "Финляндия", "FI", "en", "Helsinki", 2),
    ("Latvia", "Латвия", "Латвия", "LV", "ce", "Riga", 3),
    ("Lithuania", "Литва", "Литва", "LT", "ce", "Vilnius", 3),
    ("Estonia", "Эстония", "Эстония", "EE", "ce", "Tallinn", 2),
    ("Serbia", "Сербия", "Сербия", "RS", "ce", "Belgrade", 3),
    ("Bulgaria", "Болгария", "Болгария", "BG", "ce", "Sofia", 2),
    ("Romania", "Румыния", "Румыния", "RO", "ce", "Bucharest", 2),
    ("Greece", "Греция", "Грекия", "GR", "en", "Athens", 2),
    ("Israel", "Израиль", "Израиль", "IL", "en", "Jerusalem", 2),
    ("Egypt", "Египет", "Мысыр", "EG", "me", "Cairo", 3),
    ("Saudi Arabia", "Саудовская Аравия", "Сауд Арабиясы", "SA", "me", "Riyadh", 4),
    (
        "United Arab Emirates",
        "Объединённые Арабские Эмираты",
        "Біріккен Араб Әмірліктері",
        "AE",
        "me",
        "Abu Dhabi",
        6,
    ),
    ("Qatar", "Катар", "Катар", "QA", "me", "Doha", 4),
    ("Malaysia", "Малайзия", "Малайзия", "MY", "me", "Kuala Lumpur", 3),
    ("Indonesia", "Индонезия", "Индонезия", "ID", "me", "Jakarta", 3),
    ("Viet Nam", "Вьетнам", "Вьетнам", "VN", "en", "Hanoi", 3),
    ("Singapore", "Сингапур", "Сингапур", "SG", "en", "Singapore", 2),
    (
        "United States",
        "Соединённые Штаты Америки",
        "Америка Құрама Штаттары",
        "US",
        "en",
        "Washington",
        8,
    ),
    ("Canada", "Канада", "Канада", "CA", "en", "Ottawa", 2),
    ("Brazil", "Бразилия", "Бразилия", "BR", "en", "Brasília", 2),
    ("Australia", "Австралия", "Аустралия", "AU", "en", "Canberra", 1),
)
NATIONAL_DAY_NAMES = ("Independence Day", "National Day", "Republic Day", "Constitution Day")

OUR_ORGANISATIONS: tuple[tuple[str, OrganisationKind, int | None], ...] = (
    # (name, kind, index of the parent in this tuple)
    ("Parliament of the Republic of Kazakhstan", OrganisationKind.PARLIAMENT, None),
    ("Senate of the Parliament of the Republic of Kazakhstan", OrganisationKind.CHAMBER, 0),
    ("Mazhilis of the Parliament of the Republic of Kazakhstan", OrganisationKind.CHAMBER, 0),
    (
        "Committee on International Relations, Defence and Security of the Senate",
        OrganisationKind.COMMITTEE,
        1,
    ),
    ("Committee on Legislation and Judicial Reform of the Senate", OrganisationKind.COMMITTEE, 1),
    ("Committee on Finance and Budget of the Senate", OrganisationKind.COMMITTEE, 1),
    (
        "Committee on Agrarian Issues, Nature Management and Rural Development of the Senate",
        OrganisationKind.COMMITTEE,
        1,
    ),
    (
        "Committee on Socio-Cultural Development and Science of the Senate",
        OrganisationKind.COMMITTEE,
        1,
    ),
    (
        "Committee on International Affairs, Defence and Security of the Mazhilis",
        OrganisationKind.COMMITTEE,
        2,
    ),
    (
        "Committee on Economic Reform and Regional Development of the Mazhilis",
        OrganisationKind.COMMITTEE,
        2,
    ),
    ("Committee on Ecology and Nature Management of the Mazhilis", OrganisationKind.COMMITTEE, 2),
    ("Ministry of Foreign Affairs of the Republic of Kazakhstan", OrganisationKind.MINISTRY, None),
)
ASSEMBLIES: tuple[tuple[str, str, OrganisationKind], ...] = (
    ("Parliamentary Assembly of Turkic States", "TurkPA", OrganisationKind.INTERNATIONAL_ASSEMBLY),
    (
        "Interparliamentary Assembly of the Member Nations of the CIS",
        "IPA CIS",
        OrganisationKind.INTERNATIONAL_ASSEMBLY,
    ),
    ("OSCE Parliamentary Assembly", "OSCE PA", OrganisationKind.INTERNATIONAL_ASSEMBLY),
    ("Inter-Parliamentary Union", "IPU", OrganisationKind.INTERNATIONAL_ASSEMBLY),
    (
        "Parliamentary Assembly of the Council of Europe",
        "PACE",
        OrganisationKind.INTERNATIONAL_ASSEMBLY,
    ),
    ("Asian Parliamentary Assembly", "APA", OrganisationKind.INTERNATIONAL_ASSEMBLY),
    (
        "Parliamentary Assembly of the Collective Security Treaty Organization",
        "CSTO PA",
        OrganisationKind.INTERNATIONAL_ASSEMBLY,
    ),
    (
        "Conference on Interaction and Confidence Building Measures in Asia",
        "CICA",
        OrganisationKind.INTERNATIONAL_ORGANISATION,
    ),
    ("Shanghai Cooperation Organisation", "SCO", OrganisationKind.INTERNATIONAL_ORGANISATION),
)
FOREIGN_ORGANISATIONS: tuple[tuple[str, OrganisationKind, int | None], ...] = (
    ("Parliament of {c}", OrganisationKind.PARLIAMENT, None),
    ("Committee on Foreign Affairs of the Parliament of {c}", OrganisationKind.COMMITTEE, 0),
    ("Committee on Economy and Trade of the Parliament of {c}", OrganisationKind.COMMITTEE, 0),
    ("Parliamentary friendship group {c}–Kazakhstan", OrganisationKind.OTHER, 0),
    ("Embassy of {c} in Kazakhstan", OrganisationKind.EMBASSY, None),
    ("Ministry of Foreign Affairs of {c}", OrganisationKind.MINISTRY, None),
)
# Titles by organisation position in the tuples above; ours in three languages.
OUR_TITLES = (
    ("Chairman of the Senate", "Председатель Сената", "Сенат Төрағасы"),
    (
        "Deputy Chairman of the Senate",
        "Заместитель Председателя Сената",
        "Сенат Төрағасының орынбасары",
    ),
    ("Senator", "Депутат Сената", "Сенат депутаты"),
    ("Deputy of the Mazhilis", "Депутат Мажилиса", "Мәжіліс депутаты"),
    (
        "Chairman of the Committee on International Relations, Defence and Security",
        "Председатель Комитета по международным отношениям, обороне и безопасности",
        "Халықаралық қатынастар, қорғаныс және қауіпсіздік комитетінің төрағасы",
    ),
    (
        "Member of the Committee on International Affairs, Defence and Security",
        "Член Комитета по международным делам, обороне и безопасности",
        "Халықаралық істер, қорғаныс және қауіпсіздік комитетінің мүшесі",
    ),
    (
        "Head of the International Relations Department",
        "Руководитель Отдела международных связей",
        "Халықаралық байланыстар бөлімінің басшысы",
    ),
)
FOREIGN_TITLES = (
    ("Speaker of the Parliament of {c}", 0),
    ("Member of Parliament of {c}", 0),
    ("Chairman of the Committee on Foreign Affairs of the Parliament of {c}", 1),
    ("Deputy Chairman of the Committee on Economy and Trade", 2),
    ("Head of the friendship group {c}–Kazakhstan", 3),
    ("Ambassador Extraordinary and Plenipotentiary of {c} to Kazakhstan", 4),
    ("Deputy Minister of Foreign Affairs of {c}", 5),
    ("Депутат парламента", 0),
    ("Председатель комитета по иностранным делам", 1),
    ("Чрезвычайный и Полномочный Посол в Республике Казахстан", 4),
)
ASSEMBLY_TITLES = (
    "Secretary General of {a}",
    "President of {a}",
    "Deputy Secretary General of {a}",
)

TOPICS = (
    ("trade", "торговля", "сауда"),
    ("energy", "энергетика", "энергетика"),
    ("education", "образование", "білім беру"),
    ("culture", "культура", "мәдениет"),
    ("regional security", "региональная безопасность", "өңірлік қауіпсіздік"),
    ("transport and logistics", "транспорт и логистика", "көлік және логистика"),
    ("agriculture", "сельское хозяйство", "ауыл шаруашылығы"),
    ("digitalisation", "цифровизация", "цифрландыру"),
    ("tourism", "туризм", "туризм"),
    ("healthcare", "здравоохранение", "денсаулық сақтау"),
    ("environmental protection", "охрана окружающей среды", "қоршаған ортаны қорғау"),
    ("water resources", "водные ресурсы", "су ресурстары"),
    ("migration", "миграция", "көші-қон"),
    ("investment", "инвестиции", "инвестициялар"),
    ("science", "наука", "ғылым"),
    ("youth policy", "молодёжная политика", "жастар саясаты"),
    ("election observation", "наблюдение за выборами", "сайлауды бақылау"),
    ("legislation", "законодательство", "заңнама"),
    (
        "interparliamentary cooperation",
        "межпарламентское сотрудничество",
        "парламентаралық байланыс",
    ),
    ("humanitarian ties", "гуманитарные связи", "гуманитарлық байланыстар"),
)

# Summary sentences; the first list of each language always opens the summary.
EN_OPENING = (
    "The parties discussed the prospects for interparliamentary cooperation between Kazakhstan "
    "and {country}.",
    "The interlocutors reviewed the state of bilateral cooperation and noted the high level of "
    "political dialogue.",
    "The sides stressed that cooperation between the two parliaments is an important part of "
    "the strategic partnership.",
)
EN_BODY = (
    "Particular attention was paid to trade, economic and investment ties, including {topic}.",
    "{our} informed the guest about the constitutional reforms and the work of the Parliament "
    "on {topic}.",
    "The sides agreed to intensify the work of the friendship groups and to exchange "
    "experience in {topic}.",
    "Mutual trade reached {n} million US dollars in {year}, and both sides want it to grow.",
    "The guest thanked the Kazakh side for the warm welcome and invited a delegation of the "
    "Senate to visit {city}.",
    "Issues of interaction within international parliamentary organisations were also considered.",
    "The parties exchanged views on regional security, {topic} and the ratification of "
    "bilateral agreements.",
    "{cp} spoke about the legislative priorities of the current session and the preparation "
    "of the joint commission in {year}.",
    "It was noted that {n} joint projects are being implemented in the field of {topic}.",
)
RU_OPENING = (
    "Стороны обсудили перспективы межпарламентского сотрудничества и развитие "
    "двусторонних отношений.",
    "Собеседники отметили высокий уровень политического диалога и важность регулярных "
    "контактов между парламентами.",
)
RU_BODY = (
    "Особое внимание уделено торгово-экономическому взаимодействию, в том числе в сфере «{topic}».",
    "Стороны договорились активизировать работу групп дружбы и обмениваться опытом "
    "законотворческой деятельности.",
    "Товарооборот в {year} году составил {n} млн долларов США.",
    "Гость поблагодарил казахстанскую сторону за тёплый приём и пригласил делегацию Сената "
    "посетить {city}.",
    "Также рассмотрены вопросы взаимодействия в рамках международных парламентских организаций.",
    "Казахстанская сторона рассказала о ходе реформ и работе Парламента по направлению «{topic}».",
    "Отмечено, что в сфере «{topic}» реализуется {n} совместных проектов.",
)
KK_OPENING = (
    "Тараптар екі ел парламенттері арасындағы ынтымақтастықтың болашағын талқылады.",
    "Әңгімелесушілер саяси диалогтың жоғары деңгейін және тұрақты байланыстардың маңызын "
    "атап өтті.",
)
KK_BODY = (
    "Сауда-экономикалық және инвестициялық ынтымақтастыққа ерекше назар аударылды.",
    "Кездесуде «{topic}» саласындағы тәжірибе алмасу мәселелері қаралды.",
    "{year} жылы тауар айналымы {n} миллион АҚШ долларын құрады.",
    "Қонақ қазақстандық тарапқа жылы қабылдау үшін алғыс білдірді.",
    "Тараптар достық топтарының жұмысын жандандыруға уағдаласты.",
    "{our} Парламенттің «{topic}» бағытындағы жұмысы туралы айтып берді.",
    "Халықаралық парламенттік ұйымдар аясындағы өзара іс-қимыл мәселелері де қозғалды.",
)
RARE_SENTENCE = {
    "en": "A joint {rare} project was also mentioned.",
    "ru": "Упомянут также совместный проект: {rare}.",
    "kk": "Сондай-ақ бірлескен жоба аталды: {rare}.",
}
ACTION_TEXTS = (
    "Prepare a draft agreement on cooperation in {topic}",
    "Organise a visit of the delegation of {country} in {year}",
    "Send the materials on {topic} to the Committee",
    "Consider holding a joint session of the interparliamentary commission",
    "Подготовить предложения по сотрудничеству в сфере «{topic}»",
    "Направить приглашение парламентской делегации, страна: {country}",
    "«{topic}» бойынша ұсыныстар дайындау",
)
OWNERS = (
    "International Relations Department",
    "Committee on International Relations, Defence and Security",
    "Protocol Office",
    "Отдел международных связей",
    "Халықаралық байланыстар бөлімі",
    "",
)
OUTCOMES = (
    "Done: the materials were sent.",
    "The visit took place.",
    "Исполнено.",
    "Орындалды.",
)
VENUES_AT_HOME = ("Senate", "Mazhilis", "Parliament House", "Сенат", "Мәжіліс", "")
OCCASIONS = (
    "plenary session of the {a}",
    "{a} Assembly",
    "conference of speakers of parliaments",
    "Astana International Forum",
)
MEETING_KINDS = (
    ("talks", 40),
    ("courtesy call", 15),
    ("working meeting", 15),
    ("commission session", 6),
    ("reception", 5),
    ("consultations", 6),
    ("audience", 3),
    ("signing ceremony", 2),
    ("other", 8),
)
FORMATS = (
    (MeetingFormat.IN_PERSON, 75),
    (MeetingFormat.VIDEO, 12),
    (MeetingFormat.PHONE, 5),
    (MeetingFormat.MARGINS, 8),
)
SUBJECTS = {
    "en": (
        "{our} met with {cp}, {title}",
        "{our} received {cp}, {title}",
        "Talks of {our} with {cp}",
        "Meeting of {our} with the delegation of {country}",
    ),
    "ru": (
        "Встреча: {our} — {cp}",
        "Переговоры: {our} — {cp}, {title}",
        "Приём делегации: {our}, страна: {country}",
    ),
    "kk": (
        "{our} мен {cp} кездесуі",
        "Кездесу: {our} — {cp}",
        "{our} делегацияны қабылдады: {country}",
    ),
}
TEXTS = {
    "en": (EN_OPENING, EN_BODY),
    "ru": (RU_OPENING, RU_BODY),
    "kk": (KK_OPENING, KK_BODY),
}


# The version (4) and variant (RFC 4122) bits of a random UUID.
_UUID_CLEAR = ~((0xC000 << 48) | (0xF000 << 64)) & ((1 << 128) - 1)
_UUID_SET = (0x8000 << 48) | (4 << 76)


class CountrySink(Protocol):
    """Where the countries go (the repository's save, in the generator)."""

    def country(self, country: Country) -> int: ...


class Sink(Protocol):
    """Where generated records go: the bulk writer, or (in tests) the repositories."""

    def setting(self, key: str, value: str) -> None: ...
    def country(self, country: Country) -> int: ...
    def organisation(self, organisation: Organisation) -> int: ...
    def international_body(self, short_name: str) -> int | None: ...
    def person(self, person: Person) -> int: ...
    def anniversary(self, anniversary: Anniversary) -> int: ...
    def meeting(self, meeting: Meeting) -> int: ...


@dataclass(frozen=True)
class Known:
    """What a meeting needs to know about a participant, kept small for a million meetings."""

    id: int
    full_name: str
    forms: tuple[str, str, str]  # the name in English, Russian and Kazakh text
    title: str
    organisation_id: int | None
    country_index: int


def _female(surname: str) -> str:
    for ending in ("ov", "ev", "in", "ов", "ев", "ёв", "ин"):
        if surname.endswith(ending):
            return surname + ("a" if ending.isascii() else "а")
    if surname.endswith("ский"):
        return surname[:-4] + "ская"
    if surname.endswith("ski"):
        return surname[:-1] + "a"
    return surname


def _weighted(rng: random.Random, pairs: Sequence[tuple[T, float]]) -> Callable[[], T]:
    """A picker of values by weight (``random.choices`` recomputes its table on every call)."""
    values = [v for v, _ in pairs]
    cumulative = list(itertools.accumulate(w for _, w in pairs))
    total = cumulative[-1]
    draw = rng.random

    def pick() -> T:
        return values[bisect.bisect_right(cumulative, draw() * total)]

    return pick


class OfficeGenerator:
    """Generates the office for ``meetings`` meetings into a ``Sink``, deterministically."""

    def __init__(self, meetings: int, *, seed: int = 1, today: date | None = None) -> None:
        self.meetings = meetings
        self.seed = seed
        self.rng = random.Random(seed)
        self.today = today or date.today()
        self.people = max(20, round(meetings * PEOPLE_PER_MEETING))
        self.anniversary_target = round(meetings * ANNIVERSARIES_PER_MEETING)
        self.country_ids: list[int] = []
        self.country_uids: list[str] = []
        self.organisation_ids: dict[tuple[int, int], int] = {}  # (country index, org index)
        self.our_organisation_ids: list[int] = []
        self.assembly_ids: list[int] = []
        self.ours: list[Known] = []
        self.counterparts: dict[int, list[Known]] = {}  # by country index; -1 for assemblies
        self.custom_anniversary_ids: list[int] = []
        self.anniversaries_written = 0

    def uid(self) -> str:
        """A random (version 4) UUID drawn from the seeded generator: the text of
        ``uuid.UUID(int=..., version=4)`` without building the object."""
        value = self.rng.getrandbits(128) & _UUID_CLEAR | _UUID_SET
        h = f"{value:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    def day_between(self, start: date, end: date) -> date:
        return start + timedelta(days=self.rng.randrange((end - start).days + 1))

    # --- the whole office -------------------------------------------------------------------
    def populate(
        self, sink: Sink, checkpoint: Callable[[int], None] = lambda done: None, chunk: int = 20_000
    ) -> None:
        """Write everything; ``checkpoint(meetings so far)`` is called after the reference
        data and after every ``chunk`` meetings, where a caller commits."""
        self.write_reference(sink)
        checkpoint(0)
        done = 0
        while done < self.meetings:
            for _ in range(min(chunk, self.meetings - done)):
                sink.meeting(self.meeting())
                done += 1
            checkpoint(done)

    def write_reference(self, sink: Sink) -> None:
        if not self.country_ids:  # unless written already, through the repositories
            self.write_countries(sink)
        sink.setting("our_country", self.country_uids[0])
        sink.setting("office_name", "Protocol Office, International Relations Department")
        sink.setting("leap_day_rule", "feb28")
        self.write_organisations(sink)
        self.write_custom_anniversaries(sink)
        self.write_people(sink)
        self._prepare_meetings()

    def write_countries(self, sink: CountrySink) -> None:
        rng = self.rng
        # With their ISO codes: each takes the place of the reference data's record of that
        # country (which every new database holds), as a country the office saves does.
        for index, (en, ru, kk, iso, _region, capital, _weight) in enumerate(COUNTRIES):
            relations = None
            if index:
                relations = self.day_between(date(1991, 12, 20), date(1996, 12, 31))
            country = Country(
                name=en,
                iso_code=iso,
                other_names=sorted({ru, kk} - {en}),
                capital=capital,
                relations_established=relations,
                national_day=MonthDay(rng.randint(1, 12), rng.randint(1, 28)),
                national_day_name=rng.choice(NATIONAL_DAY_NAMES),
                provenance=PROVENANCE,
                uid=self.uid(),
            )
            self.country_ids.append(sink.country(country))
            self.country_uids.append(country.uid)
            self.anniversaries_written += 1 + (relations is not None)

    def _founded(self) -> date | None:
        if self.rng.random() < 0.3:
            return self.day_between(date(1950, 1, 1), date(2015, 12, 31))
        return None

    def write_organisations(self, sink: Sink) -> None:
        kz = self.country_ids[0]
        for name, kind, parent in OUR_ORGANISATIONS:
            founded = self._founded()
            organisation_id = sink.organisation(
                Organisation(
                    name=name,
                    kind=kind,
                    country_id=kz,
                    parent_id=self.our_organisation_ids[parent] if parent is not None else None,
                    founded_on=founded,
                    provenance=PROVENANCE,
                    uid=self.uid(),
                )
            )
            self.our_organisation_ids.append(organisation_id)
            self.anniversaries_written += founded is not None
        for name, short, kind in ASSEMBLIES:
            assembly = Organisation(
                name=name,
                short_name=short,
                kind=kind,
                founded_on=self._founded(),
                provenance=PROVENANCE,
                uid=self.uid(),
            )
            # The database's own record of the body (every new one has the reference data's).
            existing = sink.international_body(short)
            if existing is not None:
                self.assembly_ids.append(existing)
                continue
            self.assembly_ids.append(sink.organisation(assembly))
            self.anniversaries_written += assembly.founded_on is not None
        for index in range(1, len(COUNTRIES)):
            country = COUNTRIES[index][0]
            for number, (pattern, kind, parent) in enumerate(FOREIGN_ORGANISATIONS):
                founded = self._founded()
                self.organisation_ids[(index, number)] = sink.organisation(
                    Organisation(
                        name=pattern.format(c=country),
                        kind=kind,
                        country_id=self.country_ids[index],
                        parent_id=(
                            self.organisation_ids[(index, parent)] if parent is not None else None
                        ),
                        founded_on=founded,
                        provenance=PROVENANCE,
                        uid=self.uid(),
                    )
                )
                self.anniversaries_written += founded is not None

    def write_custom_anniversaries(self, sink: Sink) -> None:
        rng = self.rng
        for _ in range(round(self.anniversary_target * 0.1)):
            index = rng.randrange(1, len(COUNTRIES))
            country = COUNTRIES[index][0]
            if rng.random() < 0.6:
                anniversary = Anniversary(
                    kind=AnniversaryKind.TREATY,
                    title=f"Treaty on Friendship and Cooperation with {country}",
                    base_date=self.day_between(date(1992, 1, 1), date(2020, 12, 31)),
                    country_id=self.country_ids[index],
                    lead_days=rng.choice((None, 30, 60, 90)),
                    provenance=PROVENANCE,
                    uid=self.uid(),
                )
            else:
                anniversary = Anniversary(
                    kind=AnniversaryKind.CUSTOM,
                    title=f"Day of the Parliament of {country}",
                    base_date=MonthDay(rng.randint(1, 12), rng.randint(1, 28)),
                    organisation_id=self.organisation_ids[(index, 0)],
                    lead_days=rng.choice((None, 14, 30)),
                    provenance=PROVENANCE,
                    uid=self.uid(),
                )
            self.custom_anniversary_ids.append(sink.anniversary(anniversary))
            self.anniversaries_written += 1

    def write_people(self, sink: Sink) -> None:
        rng = self.rng
        ours = max(3, round(self.people * OUR_SHARE_OF_PEOPLE))
        # A few birthdays even in a small office, where the countries' own dates already
        # exceed the share of anniversaries.
        birthdays = max(
            self.anniversary_target - self.anniversaries_written, round(self.people * 0.02)
        )
        birthday_share = min(1.0, birthdays / self.people)
        pick_country = _weighted(rng, [(i, c[6]) for i, c in enumerate(COUNTRIES) if i])
        for number in range(self.people):
            birth: date | MonthDay | None = None
            if rng.random() < birthday_share:
                if rng.random() < 0.1:
                    birth = MonthDay(rng.randint(1, 12), rng.randint(1, 28))
                else:
                    birth = self.day_between(date(1945, 1, 1), date(1990, 12, 31))
            if number < ours:
                self._write_our_person(sink, birth)
            else:
                assembly = rng.random() < 0.05
                index = -1 if assembly else pick_country()
                self._write_foreign_person(sink, index, birth)

    def _write_our_person(self, sink: Sink, birth: date | MonthDay | None) -> None:
        rng = self.rng
        woman = rng.random() < 0.3
        first = rng.choice(KZ_WOMEN if woman else KZ_MEN)
        last = rng.choice(KZ_SURNAMES)
        if woman:
            last = (_female(last[0]), _female(last[1]), _female(last[2]))
        forms = tuple(f"{first[i]} {last[i]}" for i in range(3))
        assert len(forms) == 3
        main = rng.choice((0, 0, 0, 0, 0, 1, 1, 2, 2, 2))
        variants = [PersonName(forms[i]) for i in range(3) if i != main and forms[i] != forms[main]]
        title_index = rng.randrange(len(OUR_TITLES))
        title = OUR_TITLES[title_index][rng.choice((0, 0, 0, 0, 1, 2))]
        organisation_id = self.our_organisation_ids[(1, 1, 1, 2, 3, 8, 1)[title_index]]
        start = self.day_between(date(1996, 1, 1), self.today - timedelta(days=3650))
        person = Person(
            full_name=forms[main],
            side=Side.OURS,
            variants=variants,
            form_of_address=f"{'Ms' if woman else 'Mr'}. {last[0]}",
            country_id=self.country_ids[0],
            birth_date=birth,
            positions=[
                Position(
                    title=title,
                    organisation_id=organisation_id,
                    start=start,
                    provenance=PROVENANCE,
                    uid=self.uid(),
                )
            ],
            provenance=PROVENANCE,
            uid=self.uid(),
        )
        person_id = sink.person(person)
        self.ours.append(
            Known(
                person_id,
                person.full_name,
                (forms[0], forms[1], forms[2]),
                title,
                organisation_id,
                0,
            )
        )

    def _write_foreign_person(self, sink: Sink, index: int, birth: date | MonthDay | None) -> None:
        rng = self.rng
        region = "en" if index < 0 else COUNTRIES[index][4]
        given, surnames = FOREIGN_NAMES[region]
        first = rng.choice(given)
        last = rng.choice(surnames)
        woman = first[0] in FEMALE_GIVEN_NAMES
        if woman and region in ("ru", "ca"):
            last = (_female(last[0]), _female(last[1]))
        if region in SURNAME_FIRST:
            latin, cyrillic = f"{last[0]} {first[0]}", f"{last[1]} {first[1]}"
        else:
            latin, cyrillic = f"{first[0]} {last[0]}", f"{first[1]} {last[1]}"
        variants: list[PersonName] = []
        full_name = latin
        if region == "ru" and rng.random() < 0.5:
            full_name, variants = cyrillic, [PersonName(latin)]
        elif rng.random() < 0.5:
            variants = [PersonName(cyrillic, "Russian spelling")]
        alternative = latin.replace("ey", "ei").replace("Yu", "Iu").replace("kh", "h")
        if alternative != latin and rng.random() < 0.5:
            variants.append(PersonName(alternative, "spelling in a press release"))
        if index < 0:
            assembly = rng.randrange(len(ASSEMBLIES))
            title = rng.choice(ASSEMBLY_TITLES).format(a=ASSEMBLIES[assembly][1])
            organisation_id: int | None = self.assembly_ids[assembly]
            country_id = None
        else:
            pattern, org_number = rng.choice(FOREIGN_TITLES)
            title = pattern.format(c=COUNTRIES[index][0])
            organisation_id = self.organisation_ids[(index, org_number)]
            country_id = self.country_ids[index]
        person = Person(
            full_name=full_name,
            side=Side.COUNTERPART,
            variants=variants,
            form_of_address=f"{'Ms' if woman else 'Mr'}. {last[0]}",
            country_id=country_id,
            birth_date=birth,
            positions=[
                Position(
                    title=title,
                    organisation_id=organisation_id,
                    provenance=PROVENANCE,
                    uid=self.uid(),
                )
            ],
            provenance=PROVENANCE,
            uid=self.uid(),
        )
        person_id = sink.person(person)
        # Russian and Kazakh text write a foreign name in Cyrillic.
        self.counterparts.setdefault(index, []).append(
            Known(person_id, full_name, (latin, cyrillic, cyrillic), title, organisation_id, index)
        )

    # --- meetings ---------------------------------------------------------------------------
    def _prepare_meetings(self) -> None:
        rng = self.rng
        self._first_day = self.today - timedelta(days=365 * YEARS_OF_HISTORY)
        self._span = (self.today - self._first_day).days
        self._pick_kind = _weighted(rng, MEETING_KINDS)
        self._pick_format = _weighted(rng, FORMATS)
        self._pick_language = _weighted(rng, ((0, 60.0), (1, 25.0), (2, 15.0)))
        self._pick_group = _weighted(
            rng,
            [
                (g, (COUNTRIES[g][6] if g >= 0 else 10) * len(people) ** 0.5)
                for g, people in sorted(self.counterparts.items())
            ],
        )
        # Some of our members meet far more counterparts than others.
        self._pick_ours = _weighted(
            rng, [(p, 1.0 / (rank + 1) ** 0.7) for rank, p in enumerate(self.ours)]
        )
        self._pick_count = _weighted(rng, ((1, 70), (2, 25), (3, 5)))
        self._pick_home_city = _weighted(
            rng, (("Astana", 80), ("Almaty", 15), ("Shymkent", 3), ("Turkistan", 2))
        )
        self._pick_actions = _weighted(rng, ((0, 60), (1, 30), (2, 8), (3, 2)))
        self._pick_confidentiality = _weighted(
            rng,
            (
                (Confidentiality.PUBLIC, 90),
                (Confidentiality.INTERNAL, 8),
                (Confidentiality.RESTRICTED, 2),
            ),
        )
        self._pick_past_status = _weighted(
            rng,
            (
                (ActionStatus.DONE, 60),
                (ActionStatus.DROPPED, 10),
                (ActionStatus.OPEN, 20),
                (ActionStatus.IN_PROGRESS, 10),
            ),
        )
        self._pick_future_status = _weighted(
            rng, ((ActionStatus.OPEN, 70), (ActionStatus.IN_PROGRESS, 30))
        )

    def meeting(self) -> Meeting:
        rng = self.rng
        day = self._first_day + timedelta(days=rng.randrange(self._span + 1))
        roll = rng.random()
        precision = (
            Precision.DAY if roll < 0.95 else Precision.MONTH if roll < 0.99 else (Precision.YEAR)
        )
        if precision is Precision.MONTH:
            day = day.replace(day=1)
        elif precision is Precision.YEAR:
            day = day.replace(month=1, day=1)
        group = self._pick_group()
        people = self.counterparts[group]
        how_many = self._pick_count()
        counterparts = list({p.id: p for p in rng.choices(people, k=how_many)}.values())
        ours = self._pick_ours()
        meeting_format = self._pick_format()
        lang = self._pick_language()

        held = group if group >= 0 and rng.random() < 0.25 else 0
        occasion = ""
        if meeting_format is MeetingFormat.MARGINS:
            occasion = rng.choice(OCCASIONS).format(a=rng.choice(ASSEMBLIES)[1])
        if meeting_format in (MeetingFormat.VIDEO, MeetingFormat.PHONE):
            country_id, city, venue = None, "", ""
        elif held == 0:
            country_id = self.country_ids[0]
            city = self._pick_home_city()
            venue = rng.choice(VENUES_AT_HOME) if city == "Astana" else ""
        else:
            country_id = self.country_ids[held]
            city = COUNTRIES[held][5]
            venue = ""
        country_name = str(COUNTRIES[group][lang]) if group >= 0 else ASSEMBLIES[0][1]
        cp = counterparts[0]
        our_name = ours.forms[lang]
        cp_name = cp.forms[lang]
        topics = [t[0] for t in rng.sample(TOPICS, rng.choice((1, 1, 2, 3)))]
        topic = rng.choice(TOPICS)[lang]

        language = ("en", "ru", "kk")[lang]
        subject = rng.choice(SUBJECTS[language]).format(
            our=our_name, cp=cp_name, title=cp.title, country=country_name
        )
        opening, body = TEXTS[language]
        values: dict[str, str] = {
            "country": country_name,
            "topic": topic,
            "our": our_name,
            "cp": cp_name,
            "city": COUNTRIES[group][5] if group >= 0 else "Baku",
            "year": str(day.year - rng.randint(0, 1)),
            "n": str(rng.randint(2, 900)),
        }
        sentences = [rng.choice(opening)]
        sentences += rng.sample(body, rng.randint(2, 4))
        if rng.random() < RARE_SHARE:
            sentences.append(RARE_SENTENCE[language].format(rare=rng.choice(RARE_WORDS)))
        summary = " ".join(s.format(**values) for s in sentences)

        participants = [
            Participant(
                person_id=ours.id,
                side=Side.OURS,
                title=ours.title,
                organisation_id=ours.organisation_id,
                person_name=ours.full_name,
            )
        ]
        for number, person in enumerate(counterparts):
            participants.append(
                Participant(
                    person_id=person.id,
                    side=Side.COUNTERPART,
                    role="head of the delegation" if number == 0 and how_many > 1 else "",
                    title=person.title,
                    organisation_id=person.organisation_id,
                    person_name=person.full_name,
                )
            )
        publisher = rng.choice(("Press service of the Senate", "Press service of the Mazhilis"))
        sources = [
            Source(
                publisher=publisher,
                url=f"https://www.parlam.kz/en/news/details/{rng.randrange(10**6, 10**7)}",
                published_on=day + timedelta(days=rng.choice((0, 0, 0, 1))),
                title=subject[:150],
                uid=self.uid(),
            )
        ]
        if rng.random() < 0.1 and group >= 0:
            sources.append(
                Source(
                    publisher=f"Parliament of {COUNTRIES[group][0]}",
                    url=f"https://parliament.example/{COUNTRIES[group][3].lower()}/"
                    f"{rng.randrange(10**5, 10**6)}",
                    published_on=day + timedelta(days=1),
                    title=subject[:150],
                    uid=self.uid(),
                )
            )
        actions = [self._action(day, values) for _ in range(self._pick_actions())]
        return Meeting(
            date=day,
            subject=subject,
            precision=precision,
            time=f"{rng.randint(9, 18):02d}:{rng.choice(('00', '30'))}" if roll < 0.4 else None,
            venue=venue,
            city=city,
            country_id=country_id,
            format=meeting_format,
            occasion=occasion,
            kind=self._pick_kind(),
            summary=summary,
            topics=topics,
            confidentiality=self._pick_confidentiality(),
            participants=participants,
            sources=sources,
            actions=actions,
            provenance=PROVENANCE,
            uid=self.uid(),
        )

    def _action(self, day: date, values: dict[str, str]) -> AgreedAction:
        rng = self.rng
        due = day + timedelta(days=rng.randint(14, 365))
        past = due < self.today
        status = self._pick_past_status() if past else self._pick_future_status()
        completed = None
        outcome = ""
        if status in (ActionStatus.DONE, ActionStatus.DROPPED):
            completed = min(self.today, day + timedelta(days=rng.randint(7, 400)))
            outcome = rng.choice(OUTCOMES) if status is ActionStatus.DONE else ""
        due_anniversary = None
        if self.custom_anniversary_ids and rng.random() < 0.02:
            due_anniversary = rng.choice(self.custom_anniversary_ids)
        return AgreedAction(
            text=rng.choice(ACTION_TEXTS).format(**values),
            owner=rng.choice(OWNERS),
            due=due,
            due_anniversary_id=due_anniversary,
            status=status,
            completed_on=completed,
            outcome=outcome,
            provenance=PROVENANCE,
            uid=self.uid(),
        )

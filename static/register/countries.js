// Country choices for the registration form: ISO 3166-1 alpha-2 codes named in the page language.

const CODES = (
  "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ " +
  "BR BS BT BV BW BY BZ CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM " +
  "DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS " +
  "GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO JP KE KG KH KI KM KN " +
  "KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ " +
  "MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM " +
  "PN PR PS PT PW PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV " +
  "SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI " +
  "VN VU WF WS YE YT ZA ZM ZW"
).split(" ");

// Kazakh names of the countries most delegations come from. Some browsers carry no Kazakh
// region names at all; then these are used, and Russian names (read by nearly every Kazakh
// speaker) fill in the rest rather than English ones.
const KK_NAMES = {
  KZ: "Қазақстан", RU: "Ресей", UZ: "Өзбекстан", KG: "Қырғызстан", TJ: "Тәжікстан",
  TM: "Түрікменстан", CN: "Қытай", MN: "Моңғолия", AZ: "Әзербайжан", AM: "Армения",
  GE: "Грузия", BY: "Беларусь", UA: "Украина", MD: "Молдова", TR: "Түркия", IR: "Иран",
  AF: "Ауғанстан", PK: "Пәкістан", IN: "Үндістан", JP: "Жапония", KR: "Оңтүстік Корея",
  KP: "Солтүстік Корея", US: "Америка Құрама Штаттары", GB: "Ұлыбритания", DE: "Германия",
  FR: "Франция", IT: "Италия", ES: "Испания", NL: "Нидерланд", PL: "Польша", CZ: "Чехия",
  AT: "Австрия", CH: "Швейцария", SE: "Швеция", FI: "Финляндия", NO: "Норвегия",
  DK: "Дания", BE: "Бельгия", LT: "Литва", LV: "Латвия", EE: "Эстония", HU: "Венгрия",
  RO: "Румыния", BG: "Болгария", RS: "Сербия", GR: "Грекия", AE: "Біріккен Араб Әмірліктері",
  SA: "Сауд Арабиясы", QA: "Катар", KW: "Кувейт", OM: "Оман", IL: "Израиль", EG: "Мысыр",
  SG: "Сингапур", MY: "Малайзия", ID: "Индонезия", VN: "Вьетнам", TH: "Таиланд",
  CA: "Канада", AU: "Австралия", BR: "Бразилия",
};

function displayNames(locale) {
  try {
    return new Intl.DisplayNames([locale], { type: "region", fallback: "code" });
  } catch {
    return null;
  }
}

/** A function naming a country code in ``locale``. */
export function countryNamer(locale) {
  const own = displayNames(locale);
  const english = displayNames("en");
  // Without Kazakh data a browser answers in English, or (Chromium with a kk-KZ locale) with
  // the bare code.
  if (locale === "kk" && (!own || [english?.of("KZ"), "KZ"].includes(own.of("KZ")))) {
    const russian = displayNames("ru");
    return (code) => KK_NAMES[code] || russian?.of(code) || code;
  }
  return (code) => own?.of(code) || code;
}

/** [{code, name}] sorted by name for ``locale``, Kazakhstan first. */
export function countryChoices(locale) {
  const name = countryNamer(locale);
  const collator = new Intl.Collator(locale);
  const rest = CODES.filter((code) => code !== "KZ")
    .map((code) => ({ code, name: name(code) }))
    .sort((a, b) => collator.compare(a.name, b.name));
  return [{ code: "KZ", name: name("KZ") }, ...rest];
}

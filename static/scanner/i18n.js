// Interface texts of the scanner page, complete in every language; language helpers.
// The language choice is shared with the registration pages (same storage key).

export const LANGUAGES = [
  { code: "kk", name: "Қазақша", short: "ҚАЗ" },
  { code: "ru", name: "Русский", short: "РУС" },
  { code: "en", name: "English", short: "ENG" },
];

const TEXTS = {
  kk: {
    "page.title": "Сканер",
    "lang.label": "Тіл",
    "setup.heading": "Сканерді баптау",
    "setup.intro": "Ұйымдастырушылардан алған сканер токенін бір рет енгізіңіз немесе баптау QR кодын сканерлеңіз; құрылғы оны есте сақтайды.",
    "setup.token_label": "Сканер токені",
    "setup.connect": "Қосу",
    "setup.connecting": "Токен тексерілуде…",
    "setup.scan_qr": "Баптау QR кодын сканерлеу",
    "setup.required": "Токенді енгізіңіз.",
    "setup.invalid": "Бұл токен жарамсыз немесе кері қайтарылған. Ұйымдастырушылардан жаңасын сұраңыз.",
    "setup.network": "Серверге қосылу мүмкін емес. Байланысты тексеріп, қайталап көріңіз.",
    "setup.failed": "Сервер токенді тексере алмады (қате {status}). Қайталап көріңіз.",
    "device.gate": "Өткізу пункті",
    "device.zone": "Аймақ",
    "dir.entry": "Кіру",
    "dir.exit": "Шығу",
    "net.online": "Желіде",
    "net.offline": "Желіден тыс",
    "queue.label": "Жіберілмеген",
    "ready": "Дайын — бейджді сканерлеңіз",
    "input.label": "Бейдж коды",
    "input.placeholder": "Кодты сканерлеңіз не теріңіз",
    "input.submit": "Тексеру",
    "input.keyboard": "Кодты теру",
    "camera.start": "Камера",
    "camera.stop": "Камераны өшіру",
    "camera.denied": "Камераға рұқсат берілмеді. Браузер баптауларынан рұқсат беріңіз немесе сканерді не қолмен енгізуді пайдаланыңыз.",
    "camera.unavailable": "Бұл құрылғыда қолжетімді камера жоқ (камераға HTTPS қажет).",
    "menu.open": "Мәзір",
    "menu.close": "Жабу",
    "menu.fullscreen": "Толық экран",
    "menu.device": "Құрылғы",
    "menu.bundle": "Офлайн тізім: {count} қатысушы, {time} тексерілді",
    "menu.reset": "Құрылғыны тазалау",
    "reset.question": "Токен мен барлық деректерді осы құрылғыдан өшіру керек пе?",
    "reset.unsent": "{count} сканерлеу әлі жіберілмеген және жоғалады.",
    "reset.yes": "Иә, тазалау",
    "reset.no": "Бас тарту",
    "outcome.ok": "Кіруге болады",
    "outcome.ok_exit": "Шығу тіркелді",
    "outcome.already_checked_in": "Бұрын тіркелген",
    "outcome.invalid": "Жарамсыз бейдж",
    "outcome.revoked": "Бейдждің күші жойылған",
    "outcome.not_allowed": "Бұл аймаққа рұқсат жоқ",
    "outcome.wrong_event": "Басқа іс-шараның бейджі",
    "outcome.outside_hours": "Аймақ қазір жабық",
    "outcome.error": "Сканерлеу өңделмеді",
    "result.first": "Алғаш кірген уақыты: {time}, {gate}",
    "result.offline": "Желіден тыс, осы құрылғыда тексерілді — кейін жіберіледі",
    "result.unknown_person": "Офлайн тізімде жоқ",
    "result.no_offline_check": "Бұл браузер бейджді желіден тыс тексере алмайды.",
    "result.device_revoked": "Бұл сканердің токені жарамсыз. Құрылғыны қайта баптаңыз.",
    "result.refused": "Сервер сканерлеуді қабылдамады ({code}).",
    "sync.uploaded": "Жіберілген офлайн сканерлеу: {count}.",
    "sync.conflict": "Қайшылық: {name} бұрын {time} кезінде {gate} арқылы кірген; ұйымдастырушыларға белгіленді.",
    "sync.refused": "Сервер жіберуді қабылдамады ({status}); сканерлеулер осы құрылғыда сақталды.",
    "cat.attendee": "Қатысушы",
    "cat.speaker": "Спикер",
    "cat.delegate": "Делегат",
    "cat.exhibitor": "Экспонент",
    "cat.press": "Баспасөз",
    "cat.vip": "VIP",
    "cat.staff": "Ұйымдастырушы",
    "cat.volunteer": "Ерікті",
  },
  ru: {
    "page.title": "Сканер",
    "lang.label": "Язык",
    "setup.heading": "Настройка сканера",
    "setup.intro": "Один раз введите токен сканера, полученный от организаторов, или отсканируйте QR-код настройки; устройство его запомнит.",
    "setup.token_label": "Токен сканера",
    "setup.connect": "Подключить",
    "setup.connecting": "Проверяем токен…",
    "setup.scan_qr": "Сканировать QR-код настройки",
    "setup.required": "Введите токен.",
    "setup.invalid": "Токен недействителен или отозван. Запросите новый у организаторов.",
    "setup.network": "Нет связи с сервером. Проверьте подключение и повторите.",
    "setup.failed": "Сервер не смог проверить токен (ошибка {status}). Повторите попытку.",
    "device.gate": "Проход",
    "device.zone": "Зона",
    "dir.entry": "Вход",
    "dir.exit": "Выход",
    "net.online": "Онлайн",
    "net.offline": "Офлайн",
    "queue.label": "Не отправлено",
    "ready": "Готов — сканируйте бейдж",
    "input.label": "Код бейджа",
    "input.placeholder": "Сканируйте или введите код",
    "input.submit": "Проверить",
    "input.keyboard": "Ввести код",
    "camera.start": "Камера",
    "camera.stop": "Выключить камеру",
    "camera.denied": "Доступ к камере запрещён. Разрешите его в настройках браузера или используйте сканер либо ручной ввод.",
    "camera.unavailable": "На этом устройстве нет доступной камеры (для камеры нужен HTTPS).",
    "menu.open": "Меню",
    "menu.close": "Закрыть",
    "menu.fullscreen": "Во весь экран",
    "menu.device": "Устройство",
    "menu.bundle": "Офлайн-список: {count} участников, проверен в {time}",
    "menu.reset": "Сбросить устройство",
    "reset.question": "Удалить токен и все данные с этого устройства?",
    "reset.unsent": "Не отправлено сканирований: {count}. Они будут потеряны.",
    "reset.yes": "Да, сбросить",
    "reset.no": "Отмена",
    "outcome.ok": "Проход разрешён",
    "outcome.ok_exit": "Выход отмечен",
    "outcome.already_checked_in": "Уже прошёл",
    "outcome.invalid": "Недействительный бейдж",
    "outcome.revoked": "Бейдж аннулирован",
    "outcome.not_allowed": "Нет доступа в эту зону",
    "outcome.wrong_event": "Бейдж другого мероприятия",
    "outcome.outside_hours": "Зона сейчас закрыта",
    "outcome.error": "Скан не обработан",
    "result.first": "Первый проход: {time}, {gate}",
    "result.offline": "Офлайн, проверено на устройстве — будет отправлено",
    "result.unknown_person": "Нет в офлайн-списке",
    "result.no_offline_check": "Этот браузер не умеет проверять бейджи офлайн.",
    "result.device_revoked": "Токен этого сканера недействителен. Настройте устройство заново.",
    "result.refused": "Сервер отклонил скан ({code}).",
    "sync.uploaded": "Отправлено офлайн-сканирований: {count}.",
    "sync.conflict": "Конфликт: {name} уже прошёл через {gate} в {time}; отмечено для организаторов.",
    "sync.refused": "Сервер отклонил отправку ({status}); сканирования сохранены на устройстве.",
    "cat.attendee": "Участник",
    "cat.speaker": "Спикер",
    "cat.delegate": "Делегат",
    "cat.exhibitor": "Экспонент",
    "cat.press": "Пресса",
    "cat.vip": "VIP",
    "cat.staff": "Организатор",
    "cat.volunteer": "Волонтёр",
  },
  en: {
    "page.title": "Scanner",
    "lang.label": "Language",
    "setup.heading": "Set up this scanner",
    "setup.intro": "Enter the scanner token from the organizers once, or scan the setup QR code; this device then remembers it.",
    "setup.token_label": "Scanner token",
    "setup.connect": "Connect",
    "setup.connecting": "Checking the token…",
    "setup.scan_qr": "Scan setup QR code",
    "setup.required": "Enter the token.",
    "setup.invalid": "This token is not valid or has been revoked. Ask the organizers for a new one.",
    "setup.network": "Cannot reach the server. Check the connection and try again.",
    "setup.failed": "The server could not check the token (error {status}). Try again.",
    "device.gate": "Gate",
    "device.zone": "Zone",
    "dir.entry": "Entry",
    "dir.exit": "Exit",
    "net.online": "Online",
    "net.offline": "Offline",
    "queue.label": "Not uploaded",
    "ready": "Ready — scan a badge",
    "input.label": "Badge code",
    "input.placeholder": "Scan or type a badge code",
    "input.submit": "Check",
    "input.keyboard": "Type a code",
    "camera.start": "Camera",
    "camera.stop": "Stop camera",
    "camera.denied": "Camera access was denied. Allow it in the browser settings, or use a scanner or manual entry.",
    "camera.unavailable": "No camera is available on this device (the camera needs HTTPS).",
    "menu.open": "Menu",
    "menu.close": "Close",
    "menu.fullscreen": "Full screen",
    "menu.device": "Device",
    "menu.bundle": "Offline list: {count} participants, checked at {time}",
    "menu.reset": "Reset device",
    "reset.question": "Remove the token and all data from this device?",
    "reset.unsent": "{count} scans are not uploaded yet and will be lost.",
    "reset.yes": "Yes, reset",
    "reset.no": "Cancel",
    "outcome.ok": "Admitted",
    "outcome.ok_exit": "Exit recorded",
    "outcome.already_checked_in": "Already checked in",
    "outcome.invalid": "Invalid badge",
    "outcome.revoked": "Badge revoked",
    "outcome.not_allowed": "No access to this zone",
    "outcome.wrong_event": "Badge of another event",
    "outcome.outside_hours": "Zone closed now",
    "outcome.error": "Scan not processed",
    "result.first": "First entry: {time}, {gate}",
    "result.offline": "Offline, checked on this device — will be uploaded",
    "result.unknown_person": "Not in the offline list",
    "result.no_offline_check": "This browser cannot check badges offline.",
    "result.device_revoked": "This scanner's token is not valid. Set the device up again.",
    "result.refused": "The server refused the scan ({code}).",
    "sync.uploaded": "Uploaded {count} offline scans.",
    "sync.conflict": "Conflict: {name} was already admitted at {gate} at {time}; flagged for the organizers.",
    "sync.refused": "The server refused the upload ({status}); the scans are kept on this device.",
    "cat.attendee": "Attendee",
    "cat.speaker": "Speaker",
    "cat.delegate": "Delegate",
    "cat.exhibitor": "Exhibitor",
    "cat.press": "Press",
    "cat.vip": "VIP",
    "cat.staff": "Staff",
    "cat.volunteer": "Volunteer",
  },
};

const LOCALE_KEY = "forum.locale";
const CODES = LANGUAGES.map((l) => l.code);
const listeners = [];
let current = "en";

/** The remembered choice, else the first browser language we have texts for, else English. */
export function initialLocale() {
  try {
    const stored = localStorage.getItem(LOCALE_KEY);
    if (CODES.includes(stored)) return stored;
  } catch {
    // Storage disabled: fall back to the browser language.
  }
  for (const tag of navigator.languages?.length ? navigator.languages : [navigator.language]) {
    const base = String(tag || "").toLowerCase().split("-")[0];
    if (CODES.includes(base)) return base;
  }
  return "en";
}

export function locale() {
  return current;
}

export function t(key, vars = {}) {
  const text = TEXTS[current]?.[key] ?? TEXTS.en[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_m, name) => String(vars[name] ?? ""));
}

export function hasText(key) {
  return key in TEXTS.en;
}

export function onLocaleChange(fn) {
  listeners.push(fn);
}

/** Switch the page language; ``remember`` stores an explicit choice for later visits. */
export function setLocale(code, { remember = false } = {}) {
  if (!CODES.includes(code)) return;
  current = code;
  if (remember) {
    try {
      localStorage.setItem(LOCALE_KEY, code);
    } catch {
      // Not remembered across visits; the page still switches.
    }
  }
  document.documentElement.lang = code;
  document.querySelectorAll("[data-i18n]").forEach((el) => {
    el.textContent = t(el.dataset.i18n);
  });
  document.querySelectorAll("[data-i18n-label]").forEach((el) => {
    el.setAttribute("aria-label", t(el.dataset.i18nLabel));
  });
  document.querySelectorAll("[data-i18n-placeholder]").forEach((el) => {
    el.setAttribute("placeholder", t(el.dataset.i18nPlaceholder));
  });
  document.querySelectorAll(".lang-switch button").forEach((button) => {
    button.setAttribute("aria-pressed", String(button.dataset.locale === code));
  });
  listeners.forEach((fn) => fn(code));
}

/** Buttons for kk/ru/en, each labelled in its own language. */
export function renderLanguageSwitch(container) {
  container.replaceChildren(
    ...LANGUAGES.map(({ code, name, short }) => {
      const button = document.createElement("button");
      button.type = "button";
      button.lang = code;
      button.dataset.locale = code;
      button.textContent = short;
      button.setAttribute("aria-label", name);
      button.setAttribute("aria-pressed", "false");
      button.addEventListener("click", () => setLocale(code, { remember: true }));
      return button;
    }),
  );
}

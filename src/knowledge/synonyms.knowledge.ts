import type { KnowledgeLang } from './knowledge.types';

/**
 * Words customers use for the same thing, for any online shop's support: a query word finds
 * entries written with another word of its group (`берёте` → `стоимость`, `smashed` →
 * `damaged`). Written as plain words; the indexer stems them with the language's
 * configuration, so one form of a word stands for all its inflections.
 *
 * These are generic; a base adds its own in `synonyms.txt` in KNOWLEDGE_DIR (see README
 * "Knowledge base"). Groups never include brand or product names: a word the base does not
 * know should stay unknown, because that is how a question the base does not cover shows.
 */
export const BUILTIN_SYNONYMS: Record<KnowledgeLang, readonly string[]> = {
  ru: [
    'цена цены стоимость стоит стоить берете берут брать платно платная платный тариф расценки прайс',
    'бесплатно бесплатная бесплатный даром',
    'доставка доставить доставите доставляете привезти привезете привезут привоз отправка отправить отправляете прислать пришлете высылаете выслать возите возить возим',
    'курьер доставщик курьерская',
    'посылка отправление бандероль',
    'срок сроки долго быстро скоро медленно ждать ожидать ожидание идет идти ехать едет',
    'получить забрать получение выдача',
    'пвз постамат самовывоз',
    'отменить отмена отказаться отказ передумал передумала',
    'вернуть возврат сдать сдал сдала вернул вернула возвращать',
    'обменять обмен поменять замена заменить',
    'деньги средства',
    'сломался сломалась сломан поломка неисправен неисправный неисправность глючит дефект брак бракованный',
    'разбит разбитый разбился разбилась поврежден поврежденный повреждение треснул треснуло царапина помят мятый',
    'ремонт починить починка отремонтировать чинить',
    'телефон смартфон мобильник',
    'ноутбук ноут лэптоп',
    'телевизор телек',
    'наушники гарнитура',
    'зарядка зарядное зарядник',
    'карта карточка картой',
    'наличные наличка налом наличными нал',
    'рассрочка кредит частями долями',
    'чек квитанция',
    'бонусы баллы кешбэк кэшбэк',
    'скидка промокод купон',
    'юрлицо юрлица организация компания фирма ип предприятие',
    'аккаунт профиль кабинет лк',
    'войти зайти вход логин залогиниться авторизация',
    'зарегистрироваться регистрация зарегаться создать завести',
    'смс sms эсэмэс',
    'email емейл имейл мейл электронка',
    'удалить удаление стереть',
    'рассылка спам реклама уведомления оповещения пуши',
    'магазин салон шоурум',
    'адрес местоположение расположен',
    'работает открыт открыты открывается закрывается закрыт график режим',
    'праздники новогодние праздничные',
    'поддержка саппорт',
    'связаться позвонить звонок контакты',
    'жалоба претензия пожаловаться недоволен недовольна',
    'наличие закончился распродан продаже',
    'забронировать бронь резерв отложить',
    'сертификат сертефикат',
    'заграница границу зарубеж зарубежный международная',
    'отследить отслеживание трек',
    'опоздал опоздание опаздывает задерживается задержка',
    'изменить поменять сменить исправить',
    'прошлые предыдущие старые прежние',
    'отклонен отклонили отклоняет',
    'январь января янв',
    'февраль февраля фев',
    'декабрь декабря дек',
  ],
  en: [
    'price prices cost costs charge charges fee fees pricing',
    'free complimentary',
    'deliver delivery ship shipping shipment send dispatch',
    'courier driver',
    'parcel package',
    'long fast quickly soon slow slowly wait arrive',
    'collect pickup',
    'cancel cancellation',
    'return returns',
    'exchange swap replace replacement',
    'refund reimburse reimbursement',
    'broken broke faulty defective malfunction',
    'damaged smashed cracked scratched dented shattered',
    'warranty guarantee',
    'repair fix mend',
    'phone smartphone mobile cellphone',
    'laptop notebook',
    'tv television',
    'headphones earphones earbuds headset',
    'charger charging',
    'cash bills',
    'installments instalments installment credit loan financing',
    'receipt',
    'bonus cashback rewards',
    'discount promo coupon',
    'company business firm organisation organization corporate',
    'account profile',
    'login signin',
    'register signup registration create',
    'sms text otp',
    'email mail',
    'delete remove erase',
    'unsubscribe newsletter spam notifications',
    'store shop outlet showroom',
    'address location located',
    'open opening close closing hours schedule',
    'holidays holiday',
    'support helpdesk hotline',
    'contact call reach',
    'complaint complain unhappy dissatisfied rude',
    'stock available availability restock',
    'reserve reservation hold book',
    'abroad international overseas foreign',
    'track tracking trace',
    'late delay delayed',
    'change modify update edit correct',
    'past previous old former',
    'declined rejected refused denied',
    'january jan', 'february feb', 'march mar', 'april apr', 'august aug', 'september sep sept', 'october oct', 'november nov', 'december dec',
  ],
};

/**
 * Reads a base's own `synonyms.txt`: one group per line, `ru: слово, слово` or `en: word, word`
 * (commas or spaces between words); `#` starts a comment. Unknown languages are an error.
 *
 * @returns the groups per language, as space-separated words.
 * @throws Error naming the line, when a line has no `lang:` prefix.
 */
export function parseSynonyms(content: string): Record<KnowledgeLang, string[]> {
  const groups: Record<KnowledgeLang, string[]> = { ru: [], en: [] };
  content.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const match = /^(ru|en)\s*:\s*(.+)$/i.exec(line);
    if (!match) throw new Error(`synonyms.txt:${i + 1}: write a group as "ru: слово, слово" or "en: word, word"`);
    groups[(match[1] as string).toLowerCase() as KnowledgeLang].push((match[2] as string).split(/[,\s]+/).filter(Boolean).join(' '));
  });
  return groups;
}

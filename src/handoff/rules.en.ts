import { glueSplitter } from './glue.split';
import { ANY, bareClause, blocker, gap, gapIn, oneOf, rule } from './pattern.build';
import type { HandoffRuleSet } from './rule-set.types';

/*
 * English rules. Apostrophes are gone after normalisation (don't → dont, I'm → im), and
 * letter runs are collapsed (humaaan → human). Optional letters absorb common typos:
 * operater, opperator, humen, humna, agnet, reprsentative, maneger.
 */

const HUMAN = oneOf('h(?:u|oo|e)m[ae]?n(?:s|a)?', 'hoomans?');
const PERSON = 'pers[oa]?ns?';
const AGENT = oneOf('ag(?:e|a)?ne?ts?', 'agnets?');
const OPERATOR = 'op+[eaiu]?r[aei]?t[oe]?rs?';
const REPRESENTATIVE = oneOf('re?pr?e?se?n?t?[ai]?t?i?ve?s?', 'reps?');
const MANAGER = oneOf('man[ae]?g[ea]?rs?', 'mangers?', 'supervis[oe]rs?', 'boss', 'superiors?');
const STAFF = oneOf('staff(?: members?)?', 'employ(?:e|ee|ees|es)', 'advis[oe]rs?', 'specialists?', 'consultants?', 'team members?', 'company reps?', 'company representatives?');
const SERVICE = oneOf(
  '(?:customer|tech|technical|it) (?:service|services|support|care)',
  'support (?:team|staff|desk|department)',
  'help ?desk',
  'service desk',
  'customer care',
  'support',
);
const SOMEONE = oneOf('som[e]?one', 'some ?one', 'so?me? ?b[o]?dy', 'any ?one', 'any ?b[o]?dy', 'some1', 'sum1', 'any1', 'sb', 'smb', 'smbd', 'sm1');
/** The user's side of a company: "your team", "the company", "customer support". */
const COMPANY = oneOf('company', 'team', 'staff', 'support(?: team)?', 'customer (?:service|support|care)', 'side', 'end', 'business', 'store', 'shop', 'bank', 'office', 'firm', 'organi[sz]ation', 'department', 'help ?desk');
/** Someone from the company: "somebody from your team", "one of your employees", "a member of staff". */
const FROM_COMPANY = oneOf(
  `${oneOf(SOMEONE, 'people', 'humans?', 'persons?', 'members?', 'a member')} ${oneOf('from', 'of', 'at', 'in', 'on')} (?:${oneOf('your', 'ur', 'the', 'this')} )?${COMPANY}`,
  `one of ${oneOf('your', 'ur', 'the')} ${oneOf('staff', 'employees', 'team', 'people', 'agents', 'operators', 'reps', 'representatives', 'humans', 'specialists', 'managers', 'team members', 'staff members')}`,
  `(?:a )?members? of ${oneOf('your', 'ur', 'the')}? ?${oneOf('staff', 'team', 'support team')}`,
);
/** The bot, a machine, automated answers: what a user refuses ("no more bots"). */
const BOT = oneOf('bots?', 'chat ?bots?', 'robots?', 'machines?', 'computers?', 'ai', 'programs?', 'algorithms?', 'auto ?repl(?:y|ies)', 'auto ?responders?', `automated ${oneOf('answers?', 'repl(?:y|ies)', 'responses?', 'messages?', 'system', 'assistant', 'chat', 'service', 'thing')}`);
/** "Assistant" is a person only after a verb of reaching: "help me talk to an assistant" (the bot is one too). */
const ASSISTANT = oneOf('as?sist[ae]n?ts?', 'assitants?', 'asisstants?');
/** What the bot could be asked about itself: "are you a bot / a real person / human?" */
const IDENTITY = oneOf(BOT, HUMAN, PERSON, 'people', AGENT, OPERATOR, ASSISTANT, 'real', 'alive', 'live', 'sentient', 'automated', 'automatic', 'gpt', 'chat ?gpt', 'llm', 'a human being', 'human being');
/** What may stand before an identity word: "are you a *real* person", "is this an *automated* assistant". */
const IDENTITY_ADJ = oneOf('real', 'live', 'actual', 'actually', 'human', 'even', 'really', 'virtual', 'automated', 'just', 'an? ai', 'ai', 'smart', 'chat');

/** People the user can mean by their role: a request for one of them is a request for a human. */
const PERSON_WORD = oneOf(HUMAN, PERSON, AGENT, OPERATOR, REPRESENTATIVE, MANAGER, STAFF, FROM_COMPANY);
/** Anyone or anything that hands the dialog to people, including "support". */
const TARGET = oneOf(PERSON_WORD, SERVICE);

/** Verbs that bring a person in: talk, speak, connect, transfer, get, escalate… */
const SUMMON = oneOf(
  'talk',
  'speak',
  'speek',
  'chat',
  'connect',
  'conect',
  'transfer',
  'put',
  'get',
  'give',
  'gimme',
  'escalate',
  'call',
  'contact',
  'reach',
  'forward',
  'switch',
  'pass',
  'redirect',
  'hand',
  'route',
  'bring',
  'send',
  'patch',
);
/** Wanting or needing. */
const WANT = oneOf('want', 'wanna', 'need', 'like(?<=(?:would|id|wed|d|youd|hed|shed|theyd|wd) (?:really |also |just |so |much )?like)', 'prefer', 'rather', 'request', 'require', 'requesting', 'demand', 'have');
/** Verbs of reaching someone, after "help me…" or "how do I…": "help me get in touch with an agent". */
const REACH = oneOf(
  'get in touch',
  'get in contact',
  'be in touch',
  'contact',
  'contacting',
  'reach',
  'reaching',
  'talk',
  'talking',
  'speak',
  'speek',
  'speaking',
  'chat',
  'chatting',
  'get through',
  'get ahold',
  'get a hold',
  'get hold',
  'write',
  'message',
  'email',
  'call',
  'ring',
  'connect',
  'connecting',
  'getting',
  'get',
);
/** Words that ask for help to reach someone: "help me", "how would I", "is there a way to". */
const HOW = oneOf('help', 'helping', 'assist', 'assistance', 'how', 'way', 'ways', 'where', 'possible', 'what do i do to', 'what should i do to');
/** A bare "put me through" clause, the impatient request: "just put me through!", "transfer me now". */
const THROUGH = oneOf('(?:put|get|patch) me (?:through|thru)', 'transfer me', 'connect me', 'switch me', 'forward me', 'escalate (?:me|this|it)', 'pass me on', 'hand me over');
const IMPATIENT = oneOf('just', 'please', 'pls', 'plz', 'now', 'already', 'asap', 'right', 'immediately', 'ok', 'okay', 'ugh', 'hurry', 'up', 'and', 'can', 'could', 'would', 'will', 'you', 'u', 'fast', 'quickly', 'finally', 'again', 'seriously', 'come on', 'then', 'so', 'for the last time', 'for gods sake');
/** Words that end the reach of a negation: the user turns from what they refuse to what they want. */
const TURN = oneOf('but', 'instead', 'rather', 'i', 'just', 'so', 'please', 'than');
/** After its first word, a negation also ends at a new want: "doesnt work need an agent". */
const TURN_LATER = oneOf(TURN, 'want', 'wanna', 'need', 'give', 'get');
const NEGATION = oneOf('dont', 'do not', 'doesnt', 'does not', 'didnt', 'no', 'not', 'never', 'without', 'nor', 'wont', 'will not', 'no need');
/** Verbs of something a person already did or does: reported speech, not a request. */
const DID = oneOf(
  'told',
  'said',
  'says',
  'promised',
  'sent',
  'emailed',
  'called',
  'texted',
  'wrote',
  'replied',
  'answered',
  'helped',
  'solved',
  'fixed',
  'explained',
  'approved',
  'gave',
  'asked',
  'was',
  'were',
  'had',
  'has',
  'already(?= [^|#])',
  'did',
  'booked',
  'needs',
  'wants',
  'left',
  'mentioned',
  'suggested',
  'recommended',
  'confirmed',
  'picked',
  'refused',
  'closed',
  'hung',
);
const FILLER = oneOf(
  'a',
  'an',
  'the',
  'please',
  'pleas',
  'pls',
  'plz',
  'plox',
  'now',
  'asap',
  'real',
  'live',
  'actual',
  'hey',
  'hi',
  'hello',
  'ok',
  'okay',
  'just',
  'urgent',
  'urgently',
  'immediately',
  'yes',
  'again',
  'thanks',
  'thx',
  'only',
  'being',
  'customer',
  'tech',
);

/** English handoff rules, registered in `rules.registry.ts`. */
export const enRules: HandoffRuleSet = {
  lang: 'en',
  appliesTo: /[a-z]/,
  mentions: rule(oneOf(TARGET, SOMEONE, 'people', 'humans', 'team', 'staff', 'members?', BOT, ASSISTANT, 'through', 'thru', 'transfer', 'connect', 'switch', 'forward', 'escalate', 'pass', 'hand')),
  blockers: [
    // Questions about the bot itself: "are you a real person?", "is this a bot?", "you sound so human". Answer them; never hand off.
    blocker('en.about_bot', `${oneOf('are', 'r')} ${oneOf('you', 'u', 'you guys', 'u guys')} ${gapIn(2, oneOf(SUMMON, 'me', 'able', 'going'))}(?:(?:a|an) )?(?:${IDENTITY_ADJ} )?${IDENTITY}`),
    blocker('en.about_bot', `${oneOf('am i', 'im', 'i am', 'are we', 'we are')} ${oneOf('talking', 'chatting', 'speaking', 'writing', 'texting')} ${oneOf('to', 'with')} ${gapIn(2)}${IDENTITY}`),
    blocker('en.about_bot', `${oneOf('is', 'was')} ${oneOf('this', 'that', 'it', 'the answer', 'this answer', 'the reply')} ${gapIn(3, oneOf(SUMMON, REACH, 'me'))}(?:(?:a|an) )?(?:${IDENTITY_ADJ} )?${IDENTITY}`),
    blocker('en.about_bot', `${oneOf('is', 'are')} ${oneOf('the', 'this', 'your')} ${oneOf(ASSISTANT, 'bot', 'chatbot', 'chat', 'answers?', 'replies', 'reply')} ${gapIn(2)}(?:(?:a|an) )?(?:${IDENTITY_ADJ} )?${IDENTITY}`),
    blocker(
      'en.about_bot',
      `${oneOf('you', 'u', 'it', 'this')} ${oneOf('sound', 'sounds', 'seem', 'seems', 'talk', 'talks', 'write', 'writes', 'type', 'types', 'look', 'looks', 'feel', 'feels', 'act', 'acts', 'behave', 'behaves', 'answer', 'answers', 'reply', 'replies', 'respond', 'responds')} ${gapIn(3)}${oneOf(HUMAN, 'a human', 'a person', 'a real person', 'real', 'robotic', 'alive', 'natural', `like (?:a |an )?(?:real )?${oneOf(HUMAN, PERSON, BOT)}`)}`,
    ),
    blocker('en.about_bot', `${oneOf('feelings', 'emotions', 'feel', 'think', 'dream', 'conscious', 'sentient', 'alive')} ${gapIn(2)}like (?:a |an )?(?:real )?${oneOf(HUMAN, PERSON, 'people')}`),
    blocker('en.about_bot', `${oneOf(HUMAN, PERSON, 'people', 'human being', 'real person', 'live agent')} or (?:(?:a|an|just) )?(?:${IDENTITY_ADJ} )?${oneOf(BOT, 'automated', 'automatic', ASSISTANT)}`),
    blocker('en.about_bot', `${BOT} or (?:(?:a|an) )?(?:real |live |actual )?${oneOf(HUMAN, PERSON, 'people', 'human being', AGENT)}`),
    // Negation: "I don't need a human", "no agent please", "don't transfer me to a person".
    blocker('en.negation', `${NEGATION} (?:(?!${TURN} )[^\\s|#]+ )?${gapIn(4, TURN_LATER)}${oneOf(TARGET, SOMEONE)}`),
    // A person word that opens a relative clause is a description, never a request: "the person, who ordered…".
    blocker('en.other_meaning', `${TARGET} \\|? ?${oneOf('who', 'whom', 'whose', 'which')}`),
    blocker('en.negation', `${TARGET} ${oneOf('not needed', 'isnt needed', 'is not needed', 'not necessary', 'not required', 'needed', 'unnecessary')}`),
    // Other meanings: a mobile operator, an operator in code, per person, a travel agent, human error…
    blocker(
      'en.other_meaning',
      `${oneOf('mobile', 'cell', 'cellular', 'phone', 'network', 'telecom', 'wireless', 'sms', 'carrier', 'tour', 'travel', 'logical', 'ternary', 'spread', 'sql', 'js', 'javascript', 'comparison', 'assignment', 'boolean', 'or', 'and', 'not', 'like', 'in', 'between', 'equals?', 'search', 'filter', 'machine', 'crane', 'forklift', 'camera')} ${OPERATOR}`,
    ),
    blocker('en.other_meaning', `${OPERATOR} ${gapIn(4)}${oneOf('javascript', 'js', 'typescript', 'sql', 'python', 'excel', 'formula', 'query', 'code', 'regex', 'precedence', `overload${ANY}`, 'field', 'syntax', 'expression')}`),
    blocker(
      'en.other_meaning',
      `${oneOf('per', 'each', 'every', '\\d+', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten', 'several', 'multiple', 'many', 'extra', 'additional', 'single', 'a single')} (?:(?!live|real|human)[^\\s|#]+ )?${oneOf(PERSON, 'people', AGENT, OPERATOR, 'staff', 'seats?', 'users?')}`,
    ),
    blocker('en.other_meaning', `${oneOf('another', 'other', 'different', 'third', 'first', 'missing', 'contact')} ${PERSON}`),
    blocker('en.other_meaning', `${PERSON} ${oneOf('icon', 'avatar', 'field', 'under', 'over', 'aged', 'who is not', 'per')}`),
    blocker('en.other_meaning', `in ${PERSON}`),
    blocker('en.other_meaning', `${oneOf('delivery', 'random', 'strange', 'wrong', 'old', 'young', 'nice', 'kind', 'rude', 'cruel', 'bad', 'good', 'elderly', 'disabled', 'sick', 'single', 'same', 'lucky', 'nice')} ${oneOf(PERSON, 'people', HUMAN)}`),
    // Other people in the message: money or a gift for someone, someone else's card, a third party.
    blocker('en.other_meaning', `${SOMEONE} elses?`),
    blocker(
      'en.other_meaning',
      `${oneOf('money', 'funds', 'payments?', 'cash', 'gifts?', 'gift cards?', 'parcels?', 'packages?', 'points', 'credit', 'balance', 'salary', 'salaries', 'wages', 'invoices?', 'tips?', 'flowers', 'subscriptions?')} ${gapIn(2)}${oneOf('to', 'for')} ${gapIn(2)}${oneOf(SOMEONE, PERSON, 'people', HUMAN, STAFF)}`,
    ),
    // Switching the assistant off or on is a setting, not a request: "turn off the assistant".
    blocker('en.other_meaning', `${oneOf('turn', 'switch', 'shut', 'disable', 'enable', 'mute', 'remove', 'install', 'block', 'add')} ${gapIn(3)}${oneOf(ASSISTANT, BOT)}`),
    blocker('en.other_meaning', `${oneOf('virtual', 'ai', 'google', 'voice', 'digital', 'smart', 'shopping', 'personal', 'automated', 'chat', 'bot', 'writing', 'coding', 'teaching', 'dental', 'medical', 'research', 'store', 'shop')} ${ASSISTANT}`),
    blocker('en.other_meaning', `${ASSISTANT} ${oneOf('manager', 'managers', 'app', 'settings', 'feature', 'button', 'icon')}`),
    // The user is not a bot: "I'm not a robot", the captcha.
    blocker('en.other_meaning', `${oneOf('im', 'i am', 'i m', 'we are', 'were')} ${gapIn(3)}(?:\\| )?not ${oneOf('a', 'an')}? ?${BOT}`),
    blocker(
      'en.other_meaning',
      `${oneOf('travel', 'real estate', 'estate', 'insurance', 'booking', 'shipping', 'customs', 'user', 'secret', 'free', 'rental', 'letting', 'property', 'ticket', 'sports', 'talent', 'leasing', 'sales', 'ai', 'llm', 'software')} ${AGENT}`,
    ),
    blocker(
      'en.other_meaning',
      `${HUMAN} ${oneOf('error', 'errors', 'resources', 'readable', 'verification', 'check', 'translation', 'translator', 'rights', 'nature', 'body', 'factor', 'test', 'captcha', 'centered', 'centred')}`,
    ),
    blocker(
      'en.other_meaning',
      `${oneOf('password', 'download', 'file', 'task', 'package', 'window', 'device', 'tag', 'ads', 'ad', 'business', 'content', 'media', 'account', 'project', 'product', 'property', 'event', 'community')} ${MANAGER}`,
    ),
    blocker('en.other_meaning', `${TARGET} ${oneOf('role', 'roles', 'app', 'account', 'accounts', 'permissions?', 'access', 'tool', 'seats?', 'users?', 'dashboard', 'panel', 'portal', 'license', 'licence', 'plan', 'inbox', 'login')}`),
    blocker('en.other_meaning', `${SERVICE} ${oneOf('for', 'of')} ${gapIn(1)}${oneOf('android', 'ios', 'windows', 'mac', 'linux', 'apple', 'google', 'older', 'old', 'new', `\\d+${ANY}`, 'dark', 'pdf', 'csv', 'excel', 'languages?', 'nfc', '5g')}`),
    // Managing accounts or a job: "add a staff member", "become an agent", "hiring support agents".
    blocker(
      'en.other_meaning',
      `${oneOf('add', 'adding', 'remove', 'removing', 'delete', 'deleting', 'invite', 'inviting', 'create', 'assign', 'change', 'manage', 'become', 'hiring', 'hire', 'job', 'jobs', 'vacancy', 'vacancies', 'career', 'careers', 'work as', 'working as', 'apply', 'train')} ${gapIn(2)}${TARGET}`,
    ),
    // The user's own people and the user themselves: "my manager", "our agents", "I'm a human".
    blocker('en.other_meaning', `${oneOf('my', 'our', 'his', 'her', 'their', 'mine')} ${gapIn(1)}${TARGET}`),
    blocker('en.other_meaning', `${oneOf('im', 'i am', 'we are', 'were', 'i m', 'am i')} ${oneOf('a', 'an', 'the', 'not a', 'not an')}? ?${gapIn(1)}${TARGET}`),
    // Questions about operators: "what are your support hours?", "how many agents do you have".
    blocker(
      'en.about_operators',
      `${oneOf('when', 'what time', 'how long', 'what hours', 'which hours', 'how many', 'how much', 'how fast', 'how quickly', 'what days', 'which days', 'where')} ${gapIn(6, SUMMON)}${oneOf(TARGET, SOMEONE)}`,
    ),
    blocker('en.about_operators', `${TARGET} ${gapIn(3)}${oneOf('hours', 'schedule', 'working hours', 'opening hours', 'open', 'based', 'located', 'weekends?', 'sundays?', 'saturdays?', 'holidays?', 'at night', 'overnight', 'in the evening')}`),
    blocker('en.about_operators', `${oneOf('hours', 'schedule', 'opening times', 'working hours')} ${gapIn(4)}${TARGET}`),
    blocker('en.about_operators', `${oneOf('24 7', '247', '24x7', '24 hours', 'round the clock', 'around the clock', 'after hours')} ${gapIn(1)}${TARGET}`),
    // Reported speech and thanks: "the agent told me", "I already talked to a human", "thanks, the agent solved it".
    blocker('en.reported_speech', `${oneOf(TARGET, SOMEONE)} ${gapIn(4)}${DID}`),
    blocker('en.reported_speech', `${oneOf('talked', 'spoke', 'spoken', 'chatted', 'called', 'contacted', 'emailed', 'reached', 'been')} ${gapIn(3)}${oneOf(TARGET, SOMEONE)}`),
    blocker('en.reported_speech', `${oneOf('thanks', 'thank you', 'thx', 'ty', 'grateful')} ${gapIn(3, SUMMON)}${TARGET}`),
    blocker('en.reported_speech', `${oneOf('feedback', 'review', 'rate', 'rating', 'complain about', 'compliment')} ${gapIn(3)}${TARGET}`),
    // A complaint or review about someone, and praise: "a complaint about an employee", "give the support person a raise".
    blocker('en.reported_speech', `${oneOf('complaint', 'complaints', 'complain', 'complaining', 'review', 'reviews', 'report', 'reporting', 'feedback')} ${oneOf('about', 'on', 'regarding', 'against', 'of', 'for')} ${gapIn(3)}${oneOf(TARGET, SOMEONE)}`),
    blocker('en.reported_speech', `${oneOf('give', 'gave', 'get', 'deserves?', 'award')} ${gapIn(4)}${oneOf('a raise', 'a bonus', 'a medal', 'a promotion', 'five stars', '5 stars', 'props')}`),
  ],
  bare: bareClause(TARGET, FILLER),
  requests: [
    rule(`${SUMMON} ${gap(4)}${TARGET}`),
    // Help to reach someone: "could you help me get in touch with an agent", "how would I contact a person", "help me talk to somebody".
    rule(`${HOW} ${gapIn(4)}${REACH} ${gapIn(3)}${oneOf(TARGET, ASSISTANT, SOMEONE, 'people', 'humans')}`),
    // (The rare word first and the verb in a lookbehind: the regex then fails fast on ordinary text.)
    rule(`${ASSISTANT}(?<=${oneOf(REACH, SUMMON, WANT)} ${gapIn(3)}(?:(?:a|an|the|your|one of your) )?(?:(?:real|live|actual|human) )?${ASSISTANT})`),
    // Impatience: a clause that is only "put me through", "transfer me", with "just", "now", "already".
    bareClause(THROUGH, IMPATIENT),
    rule(`${oneOf('people', 'humans', 'human beings')}(?<=${WANT} ${gapIn(2)}(?:${oneOf('real', 'actual', 'live')} )?${oneOf('people', 'humans', 'human beings')})`),
    rule(`${WANT} ${gap(4)}${PERSON_WORD}`),
    rule(`${oneOf('be', 'get', 'being', 'getting')} ${oneOf('transferred', 'connected', 'put through', 'passed', 'forwarded', 'switched', 'escalated', 'redirected', 'handed over')} ${gap(3)}${TARGET}`),
    rule(`${oneOf('talk', 'speak', 'chat')} ${gap(2)}${oneOf('your', 'the', 'a', 'someone from your', 'somebody from your')} ${oneOf('team', 'staff', 'people')}`),
    rule(`${oneOf('please', 'pls', 'plz', 'now', 'asap', 'right now', 'immediately')}(?<=${TARGET} ${oneOf('please', 'pls', 'plz', 'now', 'asap', 'right now', 'immediately')})`),
    rule(`${oneOf('complaint', 'complain', `escalat${ANY}`)} ${gap(3)}${PERSON_WORD}`),
  ],
  refusals: [
    // "no more bots", "not a bot, please", "enough with this robot", "stop the bot".
    bareClause(
      oneOf(
        `no (?:more )?${BOT}`,
        `not (?:a |an |the |another |with (?:a |the )?)?${BOT}`,
        `${oneOf('enough', 'stop', 'quit', 'done')} (?:with |of )?(?:the |this |your |these )?${BOT}`,
      ),
      oneOf('please', 'pls', 'plz', 'just', 'thanks', 'thank you', 'again', 'anymore', 'ok', 'okay', 'already', 'now', 'seriously', 'more', 'ugh'),
    ),
    // "I don't want to talk to a bot", "I'd rather not chat with a machine", "I'm not talking to a robot anymore".
    rule(
      `${oneOf('dont', 'do not', 'wont', 'will not', 'refuse to', 'rather not', 'not going to', 'no longer', 'not', 'cant', 'cannot', 'hate', 'tired of', 'sick of')} ${gapIn(3)}${oneOf('talk', 'talking', 'speak', 'speaking', 'chat', 'chatting', 'deal', 'dealing', 'text', 'texting', 'write', 'writing', 'argue', 'arguing')} ${oneOf('to', 'with')} (?:${oneOf('a', 'an', 'the', 'this', 'that', 'your', 'some', 'another')} )?(?:${oneOf('stupid', 'dumb', 'automated', 'automatic', 'virtual', 'useless')} )?${BOT}`,
    ),
  ],
  hints: [
    // Are there people at all? "are there any humans working there", "is anybody from your team online", "does anyone read this?"
    rule(`(?:is|are) there ${gapIn(2)}${oneOf('people', 'humans', 'human beings', 'persons', PERSON_WORD, SOMEONE)}(?= [|#]|$| ${oneOf('at', 'in', 'on', 'behind', 'from', 'working', 'reading', 'answering', 'on the other end', 'to')}(?![^ ]))`),
    rule(`${oneOf('does', 'do', 'will', 'did', 'is', 'are', 'can')} ${oneOf(SOMEONE, 'a human', 'a person', 'a real person', 'people', 'humans', 'real people', 'any humans', 'a human being')} ${gapIn(2)}${oneOf('read', 'reads', 'reading', 'see', 'look', 'looks', 'check', 'answer', 'reply', 'respond', 'monitor', 'work', 'works')}`),
    rule(FROM_COMPANY),
    rule(
      `(?:is|are) (?:there )?${gapIn(2)}${oneOf(PERSON_WORD, SOMEONE, 'people', 'humans')} ${gapIn(2)}${oneOf('here', 'there', 'around', 'available', 'online', 'real', 'alive', 'on duty', 'on the line', 'i can', 'to talk', 'who can', 'that can', 'working now')}`,
    ),
    rule(`any ${PERSON_WORD} ${oneOf('online', 'available', 'around', 'here', 'there')}`),
    rule(`${oneOf('can', 'could', 'will', 'would', 'may')} ${gapIn(2)}${oneOf(SOMEONE, PERSON_WORD)} ${gapIn(2)}${oneOf('help', 'assist', 'answer', 'call', 'contact', 'reach', 'email', 'look')}`),
    rule(`${oneOf('have', 'get', 'let')} ${SOMEONE} ${gapIn(1)}${oneOf('call', 'contact', 'reach', 'email', 'text', 'ring', 'get back', 'help')}`),
    rule(`${SOMEONE} ${oneOf('real', 'alive', 'human', 'living', 'there', 'here', 'around', 'out there')}`),
    rule(`${oneOf('escalate', 'escalating')} ${oneOf('this', 'it', 'my', 'the issue', 'the case', 'the matter')}`),
    rule(`${SUMMON} ${gap(4)}${SOMEONE}`),
  ],
  frustration: [
    rule(
      oneOf(
        'useless',
        'pointless',
        'hopeless',
        'worthless',
        'ridiculous',
        'pathetic',
        'absurd',
        'waste of (?:my |your )?time',
        'nonsense',
        'wtf',
        'ffs',
        'omfg',
        'for gods sake',
        'for fucks sake',
        'screw (?:this|you|it)',
        `fuck${ANY}`,
        'f this',
        'damn (?:bot|it|you|this)',
        'sick of',
        'fed up',
        '(?:so|im|i am) done(?= \\||$| with (?:this|you|it|the bot|this bot|your bot|this chat))',
        'had enough',
        'enough of',
        'same answer',
        'same thing again',
        'going (?:around )?in circles',
        'unhelpful',
        'wasting (?:my |our )?time',
        'getting nowhere',
        'going nowhere',
        'how many times',
        'you even listening',
        'worst (?:service|support|experience|bot|chat|assistant|company)',
        'worst ever',
        'ever worst',
        'not helpful',
        'no help at all',
      ),
    ),
    rule(
      `${oneOf('you', 'youre', 'ur', 'u', 'bot', 'robot', 'chatbot', 'this', 'assistant', 'ai', 'answers?', 'replies', 'reply')} ${gapIn(3)}${oneOf('terrible', 'horrible', 'awful', 'stupid', 'dumb', `idiot${ANY}`, `moron${ANY}`, 'incompetent', 'clueless', 'brainless', 'garbage', 'trash', 'rubbish', 'worst', 'crap', 'crappy', 'sucks?', 'broken')}`,
    ),
    rule(`${oneOf('stupid', 'dumb', 'idiotic', 'worst', 'terrible', 'horrible', 'awful', 'crappy', 'garbage', 'lousy', 'silly')} ${oneOf('bot', 'robot', 'chatbot', 'assistant', 'ai', 'machine', 'thing', 'answers?')}`),
    rule(
      `${oneOf('you', 'youre', 'u', 'bot', 'robot')} ${gapIn(2)}${oneOf('dont', 'do not', 'doesnt', 'does not', 'cant', 'cannot', 'can not', 'arent', 'are not', 'r not', 'not', 'never')} ${gapIn(1)}${oneOf('understand', 'understanding', 'help', 'helping', 'listen', 'listening', 'answer', 'answering', 'get it', 'read', 'reading', 'make sense')}`,
    ),
    rule(`${oneOf('keep', 'keeps', 'kept')} ${oneOf('giving', 'saying', 'repeating', 'telling', 'sending')} ${gapIn(3)}${oneOf('same', 'wrong', 'useless', 'nonsense')}`),
  ],
  cannotHelp: [
    rule(`${oneOf('i', 'we')} ${oneOf('cant', 'cannot', 'can not', 'am unable to', 'm unable to', 'am not able to', 'm not able to', 'are unable to', 'are not able to', 'wont be able to', 'will not be able to', 'dont think i can', 'couldnt')} ${gapIn(2)}${oneOf('help', 'assist', 'answer', 'resolve', 'do that', 'check', 'access', 'handle', 'process')}`),
    rule(`${oneOf('im unable to', 'im not able to', 'i m unable to', 'unable to help', 'unable to assist')}`),
    rule(`${oneOf('please contact', 'contact', 'reach out to', 'get in touch with', 'speak to', 'talk to', 'ask')} ${gapIn(2)}${oneOf(TARGET, 'our team', 'the team', 'customer service')}`),
    rule(`${oneOf('i dont have', 'i do not have', 'i have no')} ${gapIn(1)}${oneOf('access', 'information', 'info', 'details', 'data')}`),
    rule(`${oneOf('beyond my', 'outside my', 'outside the scope', 'out of my scope', 'not something i can', 'im not sure i can help', 'i dont know the answer')}`),
    rule(`${oneOf('transfer', 'connect', 'hand', 'pass', 'forward')}${ANY} ${gapIn(3)}${TARGET}`),
  ],
  unglue: glueSplitter(
    oneOf('human', 'person', 'agent', 'operator', 'representative', 'manager', 'someone', 'somebody', 'assistant', 'support'),
    ['talk', 'speak', 'chat', 'to', 'with', 'a', 'an', 'the', 'me', 'connect', 'get', 'i', 'want', 'wanna', 'need', 'real', 'live', 'please', 'transfer', 'give', 'gimme', 'some', 'your', 'call', 'contact', 'reach', 'customer', 'can'],
  ),
};

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
const STAFF = oneOf('staff(?: members?)?', 'employees?', 'advis[oe]rs?', 'specialists?', 'consultants?', 'team members?');
const SERVICE = oneOf(
  '(?:customer|tech|technical|it) (?:service|services|support|care)',
  'support (?:team|staff|desk|department)',
  'help ?desk',
  'service desk',
  'customer care',
  'support',
);
const SOMEONE = oneOf('some ?one', 'some ?body', 'any ?one', 'any ?body', 'some1', 'sum1');

/** People the user can mean by their role: a request for one of them is a request for a human. */
const PERSON_WORD = oneOf(HUMAN, PERSON, AGENT, OPERATOR, REPRESENTATIVE, MANAGER, STAFF);
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
const WANT = oneOf('want', 'wanna', 'need', 'like', 'prefer', 'rather', 'request', 'require', 'requesting', 'demand', 'have');
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
  'already',
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
  mentions: rule(oneOf(TARGET, SOMEONE, 'people', 'humans', 'team', 'staff')),
  blockers: [
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
  ],
  bare: bareClause(TARGET, FILLER),
  requests: [
    rule(`${SUMMON} ${gap(4)}${TARGET}`),
    rule(`${WANT} ${gap(4)}${PERSON_WORD}`),
    rule(`${oneOf('be', 'get', 'being', 'getting')} ${oneOf('transferred', 'connected', 'put through', 'passed', 'forwarded', 'switched', 'escalated', 'redirected', 'handed over')} ${gap(3)}${TARGET}`),
    rule(`${oneOf('talk', 'speak', 'chat')} ${gap(2)}${oneOf('your', 'the', 'a', 'someone from your', 'somebody from your')} ${oneOf('team', 'staff', 'people')}`),
    rule(`${TARGET} ${oneOf('please', 'pls', 'plz', 'now', 'asap', 'right now', 'immediately')}`),
    rule(`${oneOf('complaint', 'complain', `escalat${ANY}`)} ${gap(3)}${PERSON_WORD}`),
  ],
  hints: [
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
        'so done',
        'im done',
        'i am done',
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
        'are you even',
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
};

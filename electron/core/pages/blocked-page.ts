// The page a store tab shows instead of a blocked navigation (F15) or a step-up page that waits
// for the owner (F17), in Simplified Chinese or English (F27). One page for both hosts: the
// system-browser host fulfils the refused request with it, the Electron host loads it as a data:
// URL. Static HTML: no script, and a CSP (header and meta) that forbids any.
import type { Platform } from '../../../shared/catalog/schema';
import type { Decision, DecisionReason } from '../../../shared/model/decision';
import type { Level } from '../../../shared/model/common';
import { redactUrl } from '../audit/redact';

export type PageLanguage = 'zh-CN' | 'en';

export interface BlockedPageInput {
  url: string;
  method: string;
  decision: Decision;
  language: PageLanguage;
  /** The store's name, so the person sees which store's rules applied. */
  storeName: string;
  /** The module's name in `language`, when the decision names a module. */
  moduleName: string | null;
}

const CSP = "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'";

/** Response headers for the page: no script, no framing of other content, never cached. */
export const BLOCKED_PAGE_HEADERS: readonly { name: string; value: string }[] = Object.freeze([
  { name: 'Content-Type', value: 'text/html; charset=utf-8' },
  { name: 'Content-Security-Policy', value: CSP },
  { name: 'Cache-Control', value: 'no-store' },
  { name: 'X-Content-Type-Options', value: 'nosniff' },
]);

/** HTTP status of the page: 403 for a block, 428 (precondition required) for a step-up page. */
export function blockedPageStatus(decision: Decision): number {
  return decision.reason === 'step-up-required' ? 428 : 403;
}

type Texts = Record<'title' | 'stepUpTitle' | 'address' | 'why' | 'module' | 'rule' | 'servedPath' | 'logged' | 'askOwner' | 'stepUpAsk' | 'retry' | 'store', string>;

const TEXTS: Record<PageLanguage, Texts> = {
  en: {
    title: 'Blocked by ShopWarden policy',
    stepUpTitle: 'This page needs the owner’s approval',
    address: 'Address',
    why: 'Why',
    module: 'Module',
    rule: 'Deciding rule',
    servedPath: 'Read by the server as',
    logged: 'This attempt was recorded in the operation log.',
    askOwner: 'If you need this page for your work, ask the store owner to change your role.',
    stepUpAsk: 'The owner has been asked in ShopWarden. Once they approve, open the page again.',
    retry: 'Open the page again',
    store: 'Store',
  },
  'zh-CN': {
    title: '已被 ShopWarden 策略阻止',
    stepUpTitle: '此页面需要店主批准',
    address: '地址',
    why: '原因',
    module: '模块',
    rule: '生效规则',
    servedPath: '服务器实际读取的路径',
    logged: '本次访问已记录在操作日志中。',
    askOwner: '如工作需要访问此页面,请联系店主调整你的角色权限。',
    stepUpAsk: '已在 ShopWarden 中请求店主批准。店主批准后,请重新打开此页面。',
    retry: '重新打开此页面',
    store: '店铺',
  },
};

const REASONS: Record<DecisionReason, { en: string; zh: string }> = {
  owner: { en: 'The owner may open everything.', zh: '店主可以访问全部页面。' },
  'rule-allow': { en: 'A custom allow rule matches.', zh: '匹配了一条自定义允许规则。' },
  'rule-block': { en: 'A custom block rule of your role matches this address.', zh: '你的角色中有一条自定义阻止规则匹配此地址。' },
  'module-edit': { en: 'Your role may edit this module.', zh: '你的角色可以编辑此模块。' },
  'module-view': { en: 'Your role may view this module.', zh: '你的角色可以查看此模块。' },
  'module-view-readonly-post': { en: 'This request only reads.', zh: '此请求只读取数据。' },
  'module-view-mutation': { en: 'Your role may only view this module, not change anything in it.', zh: '你的角色对此模块只有查看权限,不能修改。' },
  'module-none': { en: 'Your role has no access to this module.', zh: '你的角色无权访问此模块。' },
  'other-edit': { en: 'Your role may use pages outside the listed modules.', zh: '你的角色可以使用模块以外的页面。' },
  'other-view': { en: 'Your role may view pages outside the listed modules.', zh: '你的角色可以查看模块以外的页面。' },
  'other-view-mutation': { en: 'Your role may only view pages outside the listed modules, not change anything.', zh: '你的角色对模块以外的页面只有查看权限,不能修改。' },
  'other-none': { en: 'Your role has no access to pages outside its modules.', zh: '你的角色无权访问模块以外的页面。' },
  baseline: { en: 'A static file every staff member may load.', zh: '所有员工都可以加载的静态文件。' },
  'internal-page': { en: 'A blank browser page.', zh: '浏览器空白页。' },
  'step-up-granted': { en: 'The owner approved this page.', zh: '店主已批准此页面。' },
  'step-up-required': { en: 'This is a sensitive page: the owner must approve it on the spot.', zh: '这是敏感页面,需要店主当场批准。' },
  'download-disabled': { en: 'Your role does not allow downloads.', zh: '你的角色不允许下载文件。' },
  'scheme-blocked': { en: 'This kind of address (not a web page) is never opened in a store window.', zh: '店铺窗口不会打开此类地址(非网页地址)。' },
  'invalid-url': { en: 'The address cannot be read.', zh: '无法识别此地址。' },
  'no-assignment': { en: 'You are not assigned to this store.', zh: '你未被分配到此店铺。' },
  'assignment-not-started': { en: 'Your access to this store has not started yet.', zh: '你对此店铺的访问权限尚未生效。' },
  'assignment-expired': { en: 'Your access to this store has ended.', zh: '你对此店铺的访问权限已过期。' },
  'staff-disabled': { en: 'Your account is disabled.', zh: '你的账号已被停用。' },
  'unknown-store': { en: 'This store is not known to ShopWarden.', zh: 'ShopWarden 中不存在此店铺。' },
  error: {
    en: 'Your permissions could not be evaluated, so everything is blocked until the owner fixes the policy.',
    zh: '无法计算你的权限,在店主修复策略之前所有页面都被阻止。',
  },
};

const LEVELS: Record<Level, { en: string; zh: string }> = {
  none: { en: 'None', zh: '无权限' },
  view: { en: 'View', zh: '查看' },
  edit: { en: 'Edit', zh: '查看和编辑' },
};

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

const pick = (text: { en: string; zh: string }, language: PageLanguage) => (language === 'en' ? text.en : text.zh);

/** Why a decision was taken, in words a staff member understands. */
export function reasonText(reason: DecisionReason, language: PageLanguage): string {
  return pick(REASONS[reason] ?? REASONS.error, language);
}

/** A module's name as the catalogue gives it in `language`, or null when the catalogue lacks it. */
export function catalogModuleName(platforms: readonly Platform[], platformId: string, moduleId: string, language: PageLanguage): string | null {
  const name = platforms.find((p) => p.id === platformId)?.modules.find((m) => m.id === moduleId)?.name;
  return name ? pick(name, language) : null;
}

const STYLE = `body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei","WenQuanYi Zen Hei",sans-serif;margin:0;background:#f6f7f9;color:#1f2937}
main{max-width:720px;margin:8vh auto;padding:28px 32px;background:#fff;border:1px solid #e5e7eb;border-top:6px solid #dc2626;border-radius:8px}
main.step-up{border-top-color:#d97706}h1{font-size:22px;margin:0 0 16px}dl{display:grid;grid-template-columns:max-content 1fr;gap:6px 16px;margin:0 0 16px}
dt{color:#6b7280}dd{margin:0;word-break:break-all}code{font:13px ui-monospace,monospace}p{margin:8px 0}`;

/** The id of the blocked page's main element: a host tells its own page by it (browser-host store-session.ts). */
export const BLOCKED_PAGE_ELEMENT_ID = 'shopwarden-blocked';

/** The whole page. Every value shown is escaped; secrets in the URL's parameters are redacted. */
export function renderBlockedPage(input: BlockedPageInput): string {
  const { decision, language } = input;
  const t = TEXTS[language];
  const stepUp = decision.reason === 'step-up-required';
  const method = input.method.toUpperCase();
  const shownUrl = redactUrl(input.url);
  const rows: [string, string][] = [
    [t.store, escapeHtml(input.storeName)],
    [t.address, `<code id="blocked-url">${method === 'GET' ? '' : `${escapeHtml(method)} `}${escapeHtml(shownUrl)}</code>`],
    [t.why, `<span id="blocked-reason">${escapeHtml(reasonText(decision.reason, language))}</span>`],
  ];
  if (decision.module) {
    const level = decision.level ? ` — ${escapeHtml(pick(LEVELS[decision.level], language))}` : '';
    rows.push([t.module, `<span id="blocked-module">${escapeHtml(input.moduleName ?? decision.module)}</span>${level}`]);
  }
  if (decision.ruleId || decision.filter) {
    const rule = [decision.ruleId, decision.filter && decision.filter !== decision.ruleId ? decision.filter : null].filter(Boolean).join(' · ');
    rows.push([t.rule, `<code id="blocked-rule">${escapeHtml(rule)}</code>`]);
  }
  if (decision.servedPath) rows.push([t.servedPath, `<code id="blocked-served-path">${escapeHtml(decision.servedPath)}</code>`]);
  const retry = stepUp && method === 'GET' ? `<p><a id="retry" href="${escapeHtml(input.url)}">${escapeHtml(t.retry)}</a></p>` : '';
  const title = stepUp ? t.stepUpTitle : t.title;
  return `<!doctype html>
<html lang="${language}"><head><meta charset="utf-8"><meta http-equiv="Content-Security-Policy" content="${CSP}"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)}</title><style>${STYLE}</style></head>
<body><main id="${BLOCKED_PAGE_ELEMENT_ID}" class="${stepUp ? 'step-up' : 'blocked'}" data-reason="${escapeHtml(decision.reason)}" data-module="${escapeHtml(decision.module ?? '')}">
<h1>${escapeHtml(title)}</h1>
<dl>${rows.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${v}</dd>`).join('')}</dl>
<p>${escapeHtml(stepUp ? t.stepUpAsk : t.askOwner)}</p>
<p>${escapeHtml(t.logged)}</p>${retry}
</main></body></html>`;
}

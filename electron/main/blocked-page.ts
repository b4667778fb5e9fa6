// The page a store tab shows instead of a blocked top-level navigation (F15): localised, names
// the rule, and is a self-contained data: URL with no script. Loaded by the host with loadURL
// (Chromium refuses redirects to data: URLs), so it never passes the request guard itself.
import type { Decision, DecisionReason } from '../../shared/model/decision';
import type { UiLanguage } from './language';

type Texts = Record<UiLanguage, string>;

const REASONS: Readonly<Record<DecisionReason, Texts>> = {
  owner: { en: 'Allowed for the owner.', zh: '店主账号不受限制。' },
  'rule-allow': { en: 'Allowed by a rule.', zh: '规则允许。' },
  'rule-block': { en: 'A rule of your role blocks this page.', zh: '您的角色规则禁止访问此页面。' },
  'module-edit': { en: 'Your role may edit this module.', zh: '您的角色可编辑此模块。' },
  'module-view': { en: 'Your role may view this module.', zh: '您的角色可查看此模块。' },
  'module-view-readonly-post': { en: 'Allowed read-only request.', zh: '允许的只读请求。' },
  'module-view-mutation': { en: 'Your role may only view this module, not change it.', zh: '您的角色对此模块只有查看权限，不能修改。' },
  'module-none': { en: 'Your role has no access to this module.', zh: '您的角色无权访问此模块。' },
  'other-edit': { en: 'Allowed.', zh: '允许。' },
  'other-view': { en: 'Allowed.', zh: '允许。' },
  'other-view-mutation': { en: 'Your role may only view pages outside its modules, not change anything there.', zh: '对于模块以外的页面，您的角色只能查看，不能修改。' },
  'other-none': { en: 'This page is outside the modules your role may use.', zh: '此页面不在您的角色可用的模块范围内。' },
  baseline: { en: 'Allowed.', zh: '允许。' },
  'internal-page': { en: 'Allowed.', zh: '允许。' },
  'step-up-granted': { en: 'Approved by the owner.', zh: '已获店主批准。' },
  'step-up-required': {
    en: "This page is sensitive and needs the owner's approval. The owner has been asked in ShopWarden; once approved, reload this page.",
    zh: '此页面属于敏感操作，需要店主批准。已在 ShopWarden 中向店主发出请求；批准后请重新加载此页面。',
  },
  'download-disabled': { en: 'Downloads are turned off for your role.', zh: '您的角色已禁止下载。' },
  'scheme-blocked': { en: 'This kind of address cannot be opened in a store tab.', zh: '店铺标签页中不能打开此类地址。' },
  'invalid-url': { en: 'The address is not valid.', zh: '地址无效。' },
  'no-assignment': { en: 'You are not assigned to this store.', zh: '您未被分配到此店铺。' },
  'assignment-not-started': { en: 'Your access to this store has not started yet.', zh: '您对此店铺的访问权限尚未生效。' },
  'assignment-expired': { en: 'Your access to this store has ended.', zh: '您对此店铺的访问权限已到期。' },
  'staff-disabled': { en: 'Your account is disabled.', zh: '您的账号已被停用。' },
  'unknown-store': { en: 'This store no longer exists.', zh: '此店铺已不存在。' },
  error: { en: 'The check failed, so the page was blocked to be safe. The owner can see it in the log.', zh: '检查出错，为安全起见已阻止此页面。店主可在日志中查看。' },
};

const LABELS = {
  title: { en: 'Blocked by policy', zh: '已被策略阻止' },
  stepUpTitle: { en: 'Owner approval needed', zh: '需要店主批准' },
  address: { en: 'Address', zh: '地址' },
  module: { en: 'Module', zh: '模块' },
  rule: { en: 'Rule', zh: '规则' },
  logged: { en: 'This attempt was recorded in the operation log.', zh: '此次访问已记录在操作日志中。' },
} as const satisfies Record<string, Texts>;

export function reasonText(reason: DecisionReason, lang: UiLanguage): string {
  return (REASONS[reason] ?? REASONS.error)[lang];
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export interface BlockedPageInput {
  url: string;
  decision: Pick<Decision, 'reason' | 'module' | 'ruleId' | 'filter'>;
  lang: UiLanguage;
}

export function blockedPageHtml({ url, decision, lang }: BlockedPageInput): string {
  const stepUp = decision.reason === 'step-up-required';
  const title = (stepUp ? LABELS.stepUpTitle : LABELS.title)[lang];
  const rule = decision.filter ?? decision.ruleId;
  const rows = [
    [LABELS.address[lang], url.length > 2000 ? `${url.slice(0, 2000)}…` : url],
    ...(decision.module ? [[LABELS.module[lang], decision.module]] : []),
    ...(rule ? [[LABELS.rule[lang], rule]] : []),
  ]
    .map(([k, v]) => `<dt>${escapeHtml(k!)}</dt><dd>${escapeHtml(v!)}</dd>`)
    .join('');
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)}</title>
<style>body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","PingFang SC","Microsoft YaHei",sans-serif;margin:0;display:flex;justify-content:center;background:#f6f7f9;color:#1f2328}
main{max-width:640px;margin:10vh 24px;padding:28px 32px;background:#fff;border:1px solid #d8dde3;border-radius:10px}
h1{font-size:22px;margin:0 0 12px;color:${stepUp ? '#9a6700' : '#b42318'}}dt{font-weight:600;margin-top:10px}dd{margin:2px 0 0;word-break:break-all;font-family:ui-monospace,Menlo,Consolas,monospace;font-size:13px}
.note{color:#57606a;font-size:13px;margin-top:18px}</style></head>
<body><main data-shopwarden-blocked="${escapeHtml(decision.reason)}"><h1>${escapeHtml(title)}</h1>
<p id="reason">${escapeHtml(reasonText(decision.reason, lang))}</p><dl>${rows}</dl>
<p class="note">${escapeHtml(LABELS.logged[lang])}</p></main></body></html>`;
}

/** The page as a data: URL for webContents.loadURL. */
export function blockedPageUrl(input: BlockedPageInput): string {
  return `data:text/html;charset=utf-8;base64,${Buffer.from(blockedPageHtml(input), 'utf8').toString('base64')}`;
}

import type { z } from 'zod';
import { BUILTIN_PLATFORMS } from '../catalog/builtin';
import type { Platform } from '../catalog/schema';
import type { Level, LocalizedText } from '../model/common';
import type { CustomRule, RoleInput, SensitiveSwitches } from '../model/role';
import { TemplateKey } from '../model/role';

/**
 * The seven position templates of the Amazon staff-permission guide (F8), written against the
 * module ids both built-in catalogues share (orders, listings, payments…), so one template serves
 * every store of either platform (多店铺统一模板). A level for a module a platform lacks is simply
 * unused there; a filter whose `{key}` a platform's sites do not define stands for nothing there.
 *
 * Choices the guide leaves open:
 * - `otherLevel` (URLs no module covers) is View, except Finance and Temporary, which get None:
 *   the guide gives them nothing outside their modules (财务: 无任何操作权限; 外包: 仅指定 ASIN).
 * - Sensitive modules (account, payments, tax, user permissions, close account, sign-in &
 *   security) stay None in every template but Super admin; the one exception is Finance, which
 *   reads payments and tax (付款报告、结算单、税务报告,只读) and can change nothing.
 * - Customer service: the guide's refund limit (≤ $200) cannot be seen in a URL, so issuing a
 *   refund is a step-up page instead: the owner approves it on the spot (F17).
 * - Temporary: listings at View plus allow rules limited to the assignment's `{asin}` (Amazon)
 *   or `{item_id}` (Taobao) scope values. Saves that post to a URL without the ASIN are not
 *   covered; the owner adds a rule if the contractor needs one.
 */

/** A complete role definition (every defaulted field present). */
export type RoleTemplate = z.output<typeof RoleInput>;

/** New staff start read-only (F11, 新人入职先授予只读权限). */
export const NEW_STAFF_DEFAULT_LEVEL = 'view' as const satisfies Level;

/** Template names in both UI languages; a role's `name` is "English / 中文". */
export const ROLE_TEMPLATE_NAMES: Readonly<Record<TemplateKey, LocalizedText>> = Object.freeze({
  'super-admin': { en: 'Super admin', zh: '超级管理员' },
  'operations-manager': { en: 'Operations manager', zh: '运营主管/经理' },
  operator: { en: 'Operator', zh: '普通运营' },
  'ads-specialist': { en: 'Ads specialist', zh: '广告专员' },
  'customer-service': { en: 'Customer service', zh: '客服/售后' },
  finance: { en: 'Finance', zh: '财务/会计' },
  temporary: { en: 'Temporary / outsourced', zh: '临时/外包' },
});

const READ_ONLY_NAME: LocalizedText = { en: 'Read-only (new staff)', zh: '只读(新员工)' };

/**
 * What each template is for, in both UI languages. A role stores the English text (it is the
 * owner's to edit); the console shows the other language's text while it is unchanged.
 */
export const ROLE_TEMPLATE_DESCRIPTIONS: Readonly<Record<TemplateKey, LocalizedText>> = Object.freeze({
  'super-admin': {
    en: 'Every module of every assigned store, including the sensitive ones. One trusted person (仅1人).',
    zh: '所分配店铺的全部模块，包括敏感模块。仅限一位可信的人（仅1人）。',
  },
  'operations-manager': {
    en: 'Runs the stores: listings, inventory, pricing, orders, ads, promotions, reports, returns and messages. No account, payment or user settings.',
    zh: '负责店铺运营：商品、库存、定价、订单、广告、促销、报告、退货和买家消息。不能进入账户、付款和用户设置。',
  },
  operator: {
    en: 'Day-to-day operations of one or two stores: listings, pricing, orders, ads, promotions, buyer messages. Returns and account health read-only.',
    zh: '一两个店铺的日常运营：商品、定价、订单、广告、促销、买家消息。退货和账户状况只读。',
  },
  'ads-specialist': {
    en: 'Campaigns, budgets, keywords and promotions; other reports read-only. No listings, inventory, orders or finance.',
    zh: '广告活动、预算、关键词和促销；其他报告只读。不能进入商品、库存、订单和财务。',
  },
  'customer-service': {
    en: 'Orders, buyer messages, returns; reports and shipping read-only. Issuing a refund needs the owner’s approval.',
    zh: '订单、买家消息、退货；报告和物流只读。退款需要店主当场批准。',
  },
  finance: {
    en: 'Payments, statements, tax and reports, read-only. Nothing else, and no changes anywhere.',
    zh: '付款、结算单、税务和报告，只读。没有其他权限，任何地方都不能修改。',
  },
  temporary: {
    en: 'Contractors (images, A+ content, copy): listings read-only plus edits of the assigned ASINs / items only. Expires after 30 days; no downloads.',
    zh: '外包人员（图片、A+ 页面、文案）：商品只读，只能编辑分配给他的 ASIN/宝贝。30 天后到期；不能下载。',
  },
});

const READ_ONLY_DESCRIPTION: LocalizedText = {
  en: 'Read-only access to every non-sensitive module; the default for new staff.',
  zh: '所有非敏感模块只读；新员工的默认角色。',
};

/** The built-in name a role still has ("English / 中文"), in both languages; null for the owner's own name. */
export function stockRoleName(name: string): LocalizedText | null {
  for (const text of [...Object.values(ROLE_TEMPLATE_NAMES), READ_ONLY_NAME]) if (name === bilingual(text)) return text;
  return null;
}

/** The template text a role description still is (either language), or null for the owner's own words. */
export function stockRoleDescription(description: string): LocalizedText | null {
  for (const text of [...Object.values(ROLE_TEMPLATE_DESCRIPTIONS), READ_ONLY_DESCRIPTION]) if (description === text.en || description === text.zh) return text;
  return null;
}

function bilingual(text: LocalizedText): string {
  return `${text.en} / ${text.zh}`;
}

function grant(edit: readonly string[], view: readonly string[] = []): Record<string, Level> {
  return Object.fromEntries([...view.map((id) => [id, 'view'] as const), ...edit.map((id) => [id, 'edit'] as const)]);
}

function switches(on: Partial<SensitiveSwitches>): SensitiveSwitches {
  return { downloads: false, uploads: false, devtools: false, printing: false, ...on };
}

function moduleIds(platforms: readonly Platform[], include: (sensitive: boolean) => boolean): string[] {
  const ids = platforms.flatMap((p) => p.modules.filter((m) => include(m.sensitive)).map((m) => m.id));
  return [...new Set(ids)].sort();
}

type TemplateBody = Omit<RoleTemplate, 'name' | 'template'>;

/** Amazon's refund pages and Taobao's refund host: issuing a refund needs the owner's approval. */
// Amazon's refund pages sit under the order paths; Taobao/Tmall agree refunds on the refund host
// and in the seller centre's after-sales pages (its list stays open to customer service).
const REFUND_STEP_UP = ['{seller}/orders-v3/refund', '{seller}/gp/orders-v2/refund', '{refund}', '{seller}/home.htm/aftersale/refund'];

const TEMPORARY_RULES: CustomRule[] = [
  {
    id: 'asin-listing-edit',
    action: 'allow',
    filter: '{seller}/abis/listing/edit?asin={asin}',
    note: 'Edit the listing (copy) of an assigned ASIN',
  },
  {
    id: 'asin-a-plus',
    action: 'allow',
    filter: '{seller}/enhanced-content?asin={asin}',
    note: 'A+ content of an assigned ASIN',
  },
  {
    id: 'asin-images',
    action: 'allow',
    filter: '{seller}/imaging?asin={asin}',
    note: 'Images of an assigned ASIN',
  },
  {
    id: 'item-edit',
    action: 'allow',
    filter: '{item}/sell/publish.htm?itemId={item_id}',
    note: 'Taobao: edit an assigned item (宝贝)',
  },
];

function bodies(platforms: readonly Platform[]): Record<TemplateKey, TemplateBody> {
  // A function, not an object: each template gets its own arrays to edit.
  const common = () => ({ rules: [], stepUp: [], defaultValidityDays: null });
  return {
    'super-admin': {
      ...common(),
      description: ROLE_TEMPLATE_DESCRIPTIONS['super-admin'].en,
      levels: grant(moduleIds(platforms, () => true)),
      otherLevel: 'edit',
      switches: switches({ downloads: true, uploads: true, devtools: true, printing: true }),
    },
    'operations-manager': {
      ...common(),
      description: ROLE_TEMPLATE_DESCRIPTIONS['operations-manager'].en,
      levels: grant(
        ['listings', 'inventory', 'pricing', 'orders', 'shipping', 'advertising', 'promotions', 'reports', 'returns', 'messages'],
        ['performance'],
      ),
      otherLevel: 'view',
      switches: switches({ downloads: true, uploads: true, printing: true }),
    },
    operator: {
      ...common(),
      description: ROLE_TEMPLATE_DESCRIPTIONS.operator.en,
      levels: grant(
        ['listings', 'inventory', 'pricing', 'orders', 'shipping', 'advertising', 'promotions', 'reports', 'messages'],
        ['returns', 'performance'],
      ),
      otherLevel: 'view',
      switches: switches({ downloads: true, uploads: true, printing: true }),
    },
    'ads-specialist': {
      ...common(),
      description: ROLE_TEMPLATE_DESCRIPTIONS['ads-specialist'].en,
      levels: grant(['advertising', 'promotions'], ['reports']),
      otherLevel: 'view',
      switches: switches({ downloads: true, uploads: true }),
    },
    'customer-service': {
      ...common(),
      description: ROLE_TEMPLATE_DESCRIPTIONS['customer-service'].en,
      levels: grant(['orders', 'messages', 'returns'], ['reports', 'shipping', 'performance']),
      otherLevel: 'view',
      stepUp: [...REFUND_STEP_UP],
      switches: switches({ uploads: true, printing: true }),
    },
    finance: {
      ...common(),
      description: ROLE_TEMPLATE_DESCRIPTIONS.finance.en,
      levels: grant([], ['payments', 'tax', 'reports']),
      otherLevel: 'none',
      switches: switches({ downloads: true, printing: true }),
    },
    temporary: {
      ...common(),
      description: ROLE_TEMPLATE_DESCRIPTIONS.temporary.en,
      levels: grant([], ['listings']),
      otherLevel: 'none',
      rules: TEMPORARY_RULES.map((rule) => ({ ...rule })),
      switches: switches({ uploads: true }),
      defaultValidityDays: 30,
    },
  };
}

function fromBody(key: TemplateKey, body: TemplateBody): RoleTemplate {
  return { name: bilingual(ROLE_TEMPLATE_NAMES[key]), template: key, ...body };
}

/**
 * The seven built-in templates, in the guide's order, as fresh objects the caller may edit.
 * `platforms` decides which module ids Super admin lists (default: the built-in catalogues).
 */
export function builtInRoleTemplates(platforms: readonly Platform[] = BUILTIN_PLATFORMS): RoleTemplate[] {
  const all = bodies(platforms);
  return TemplateKey.options.map((key) => fromBody(key, all[key]));
}

export function roleTemplate(key: TemplateKey, platforms: readonly Platform[] = BUILTIN_PLATFORMS): RoleTemplate {
  return fromBody(key, bodies(platforms)[key]);
}

/**
 * What a new staff member gets before the owner picks a position (F11): every module at
 * NEW_STAFF_DEFAULT_LEVEL except the sensitive ones, which stay None; no switches on.
 */
export function readOnlyRole(platforms: readonly Platform[] = BUILTIN_PLATFORMS): RoleTemplate {
  return {
    name: bilingual(READ_ONLY_NAME),
    description: READ_ONLY_DESCRIPTION.en,
    template: null,
    levels: Object.fromEntries(moduleIds(platforms, (sensitive) => !sensitive).map((id) => [id, NEW_STAFF_DEFAULT_LEVEL])),
    otherLevel: NEW_STAFF_DEFAULT_LEVEL,
    rules: [],
    switches: switches({}),
    stepUp: [],
    defaultValidityDays: null,
  };
}

// The application menu and the store pages' context menu: short, localised, and without any
// developer-tools entry unless the user's role allows it (F8 devtools switch).
import { Menu, clipboard, type ContextMenuParams, type MenuItemConstructorOptions, type WebContents } from 'electron';
import type { UiLanguage } from './language';

const T = {
  edit: { en: 'Edit', zh: '编辑' },
  view: { en: 'View', zh: '查看' },
  window: { en: 'Window', zh: '窗口' },
  showConsole: { en: 'Show console', zh: '显示控制台' },
  back: { en: 'Back', zh: '后退' },
  forward: { en: 'Forward', zh: '前进' },
  reload: { en: 'Reload page', zh: '重新加载页面' },
  copyLink: { en: 'Copy link address', zh: '复制链接地址' },
  closeTab: { en: 'Close this tab', zh: '关闭此标签页' },
  inspect: { en: 'Inspect element', zh: '检查元素' },
} as const;

export interface AppMenuActions {
  showConsole(): void;
  /** The store tab on screen, if any. */
  activeStorePage(): WebContents | null;
}

export function installAppMenu(lang: UiLanguage, actions: AppMenuActions): void {
  const page = (fn: (wc: WebContents) => void) => () => {
    const wc = actions.activeStorePage();
    if (wc && !wc.isDestroyed()) fn(wc);
  };
  const template: MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: T.edit[lang],
      submenu: [{ role: 'undo' }, { role: 'redo' }, { type: 'separator' }, { role: 'cut' }, { role: 'copy' }, { role: 'paste' }, { role: 'selectAll' }],
    },
    {
      label: T.view[lang],
      submenu: [
        { label: T.showConsole[lang], accelerator: 'CmdOrCtrl+Shift+H', click: () => actions.showConsole() },
        { type: 'separator' },
        { label: T.back[lang], accelerator: 'Alt+Left', click: page((wc) => wc.navigationHistory.goBack()) },
        { label: T.forward[lang], accelerator: 'Alt+Right', click: page((wc) => wc.navigationHistory.goForward()) },
        { label: T.reload[lang], accelerator: 'CmdOrCtrl+R', click: page((wc) => wc.reload()) },
      ],
    },
    { label: T.window[lang], submenu: [{ role: 'minimize' }, { role: 'togglefullscreen' }] },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

export interface StoreContextMenuOptions {
  lang: UiLanguage;
  /** The role's devtools switch. */
  canInspect: boolean;
  /** Pop-up tabs can be closed on their own; a store's first tab closes from the console. */
  closeTab: (() => void) | null;
}

export function popupStoreContextMenu(wc: WebContents, params: ContextMenuParams, options: StoreContextMenuOptions): void {
  const { lang } = options;
  const history = wc.navigationHistory;
  const items: MenuItemConstructorOptions[] = [
    { label: T.back[lang], enabled: history.canGoBack(), click: () => history.goBack() },
    { label: T.forward[lang], enabled: history.canGoForward(), click: () => history.goForward() },
    { label: T.reload[lang], click: () => wc.reload() },
  ];
  const edit: MenuItemConstructorOptions[] = params.isEditable
    ? [{ role: 'cut', enabled: params.editFlags.canCut }, { role: 'copy', enabled: params.editFlags.canCopy }, { role: 'paste', enabled: params.editFlags.canPaste }, { role: 'selectAll' }]
    : params.selectionText
      ? [{ role: 'copy' }]
      : [];
  if (params.linkURL) edit.push({ label: T.copyLink[lang], click: () => clipboard.writeText(params.linkURL) });
  if (edit.length) items.push({ type: 'separator' }, ...edit);
  const closeTab = options.closeTab;
  if (closeTab) items.push({ type: 'separator' }, { label: T.closeTab[lang], click: () => closeTab() });
  if (options.canInspect) items.push({ type: 'separator' }, { label: T.inspect[lang], click: () => wc.inspectElement(params.x, params.y) });
  Menu.buildFromTemplate(items).popup();
}

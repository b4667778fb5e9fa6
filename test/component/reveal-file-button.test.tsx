// "Show in folder": asks the host for exactly that file, and says why when it cannot.
import { closeDom } from './helpers/dom';
import { after, afterEach, test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanup, fireEvent, screen } from '@testing-library/react';
import { RevealFileButton } from '../../renderer/ui/RevealFileButton';
import { fail, FakeTransport } from './helpers/fake-transport';
import { renderConsole } from './helpers/render';

afterEach(() => cleanup());
after(() => closeDom());

test('the button asks to show that file of that folder; a host that cannot says so next to it', async () => {
  let answer: 'ok' | 'unavailable' = 'ok';
  const transport = new FakeTransport().on('files:reveal', () => {
    if (answer === 'unavailable') fail('unavailable', 'the folder could not be shown: xdg-open is not installed on this computer');
    return { ok: true as const };
  });
  renderConsole(<RevealFileButton folder="archives" fileName="shopwarden-log-1-500.jsonl.gz" />, { transport, language: 'zh-CN' });
  const button = screen.getByRole('button', { name: '在文件夹中显示 shopwarden-log-1-500.jsonl.gz' });
  fireEvent.click(button);
  await screen.findByRole('button', { name: '在文件夹中显示 shopwarden-log-1-500.jsonl.gz' });
  assert.deepEqual(transport.callsTo('files:reveal'), [{ folder: 'archives', fileName: 'shopwarden-log-1-500.jsonl.gz' }]);
  assert.equal(screen.queryByRole('alert'), null);

  answer = 'unavailable';
  fireEvent.click(button);
  assert.match((await screen.findByRole('alert')).textContent ?? '', /^此电脑上无法执行此操作。 \(the folder could not be shown: xdg-open is not installed on this computer\)/);
});

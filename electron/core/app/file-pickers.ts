import type { SensitiveSwitches } from '../../../shared/model/role';

/**
 * The File System Access pickers (showOpenFilePicker, showDirectoryPicker, showSaveFilePicker)
 * hand a page files from the disk, or let it write files there, through no file chooser or
 * download the hosts' guards see. Both hosts turn off this Blink feature for store pages whose
 * person may not upload or may not download.
 */
export const FILE_PICKERS_BLINK_FEATURE = 'FileSystemAccessLocal';

export function filePickersAllowed(owner: boolean, switches: Pick<SensitiveSwitches, 'uploads' | 'downloads'>): boolean {
  return owner || (switches.uploads && switches.downloads);
}

// Every CLI command, registered in this order. Add yours here (one file per command under commands/).
import type { Command } from 'commander';
import { registerInfo } from './info.js';
import { registerServe } from './serve.js';

export const commands: ReadonlyArray<(program: Command) => void> = [registerInfo, registerServe];

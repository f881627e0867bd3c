// Renderer entry: applies the stored theme before the first frame, then mounts the app shell.
import { mount } from 'svelte';
import App from './App.svelte';
import { themeStore } from './lib/theme.svelte.js';

themeStore();

const target = document.getElementById('app');
if (!target) throw new Error('index.html has no #app element');

export default mount(App, { target });

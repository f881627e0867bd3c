// Stroke icons (24 x 24 grid, 1.75 px stroke), drawn for Voxelbase; one path string per icon.
const circle = (cx: number, cy: number, r: number) =>
  `M${cx - r} ${cy}a${r} ${r} 0 1 0 ${2 * r} 0a${r} ${r} 0 1 0 ${-2 * r} 0`;

export const icons = {
  library: 'M4 4h6v6H4zM14 4h6v6h-6zM4 14h6v6H4zM14 14h6v6h-6z',
  cohorts: `${circle(9, 8, 3)}M3 20c0-3.3 2.7-6 6-6s6 2.7 6 6${circle(17, 9, 2.5)}M16.5 14.1c2.6.4 4.5 2.8 4.5 5.9`,
  pretrain: 'M3 12h4l3-8 4 16 3-8h4',
  search: `${circle(11, 11, 7)}M16.2 16.2 21 21`,
  models: 'M12 2.8 3.5 7.5v9l8.5 4.7 8.5-4.7v-9zM3.5 7.5l8.5 4.7 8.5-4.7M12 12.2v9',
  status: `${circle(12, 12, 9)}M12 11v6M12 7.5v.01`,
  import: 'M12 3v11M7.5 9.5 12 14l4.5-4.5M4 15v4a1 1 0 0 0 1 1h14a1 1 0 0 0 1-1v-4',
  sun: `${circle(12, 12, 4)}M12 2v2M12 20v2M4.9 4.9l1.4 1.4M17.7 17.7l1.4 1.4M2 12h2M20 12h2M4.9 19.1l1.4-1.4M17.7 6.3l1.4-1.4`,
  moon: 'M20.5 14.2A8.5 8.5 0 1 1 9.8 3.5a6.8 6.8 0 0 0 10.7 10.7z',
  system: 'M3 5a1 1 0 0 1 1-1h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1zM8 20h8M12 16v4',
  x: 'M6 6l12 12M18 6 6 18',
  check: 'M5 12.5l4.5 4.5L19 7.5',
  alert: `${circle(12, 12, 9)}M12 7.5v5.5M12 16.5v.01`,
  folder: 'M3 6.5A1.5 1.5 0 0 1 4.5 5H9l2 2h8.5A1.5 1.5 0 0 1 21 8.5v9a1.5 1.5 0 0 1-1.5 1.5h-15A1.5 1.5 0 0 1 3 17.5z',
  refresh: 'M20 12a8 8 0 1 1-2.34-5.66M20 4v5h-5',
  arrowRight: 'M5 12h14M13 6l6 6-6 6',
  cube: 'M12 2.8 3.5 7.5v9l8.5 4.7 8.5-4.7v-9zM3.5 7.5l8.5 4.7 8.5-4.7M12 12.2v9',
  plug: 'M9 3v5M15 3v5M6 8h12v3a6 6 0 0 1-12 0zM12 17v4',
  chevronRight: 'M9 5l7 7-7 7',
  chevronDown: 'M5 9l7 7 7-7',
  play: 'M7 4.5v15l12-7.5z',
  pause: 'M7 5h3.5v14H7zM13.5 5H17v14h-3.5z',
  fullscreen: 'M4 9V4h5M15 4h5v5M20 15v5h-5M9 20H4v-5',
  exitFullscreen: 'M9 4v5H4M20 9h-5V4M15 20v-5h5M4 15h5v5',
  keyboard: 'M3 7a1 1 0 0 1 1-1h16a1 1 0 0 1 1 1v10a1 1 0 0 1-1 1H4a1 1 0 0 1-1-1zM7 10h.01M11 10h.01M15 10h.01M7 14h10',
  layout: 'M4 4h16v16H4zM12 4v16M4 12h8',
  single: 'M4 4h16v16H4z',
  list: 'M8 6h12M8 12h12M8 18h12M4 6h.01M4 12h.01M4 18h.01',
  tree: 'M4 5h6M8 12h6M8 19h6M5 5v14h3M5 12h3',
  file: 'M6 3h8l4 4v13a1 1 0 0 1-1 1H6a1 1 0 0 1-1-1V4a1 1 0 0 1 1-1zM14 3v4h4',
  home: 'M3.5 11 12 4l8.5 7M6 9.5V20h4.5v-5h3v5H18V9.5',
  arrowUp: 'M12 19V5M6 11l6-6 6 6',
  plus: 'M12 5v14M5 12h14',
} as const;

export type IconName = keyof typeof icons;

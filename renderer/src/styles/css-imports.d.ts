// Stylesheets imported for their side effect (Vite bundles them), e.g. uPlot's own CSS in the Pretrain charts.
declare module '*.css';

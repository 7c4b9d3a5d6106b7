/**
 * Entry point: starts the training worker (once, outside React, so StrictMode's double effects cannot
 * start two), registers the service worker (built site only) and renders the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initWorkerClient } from './app/client';
import { registerServiceWorker } from './app/serviceWorker';
import './styles/app.css';

initWorkerClient();
// Offline after the first visit (src/sw/sw.ts); registers once the page has loaded.
registerServiceWorker();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

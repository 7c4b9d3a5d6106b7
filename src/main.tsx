/**
 * Entry point: starts the training worker (once, outside React, so StrictMode's double effects cannot
 * start two) and renders the app.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { initWorkerClient } from './app/client';
import './styles/app.css';

initWorkerClient();

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

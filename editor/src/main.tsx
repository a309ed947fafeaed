import '@xyflow/react/dist/style.css';
import './styles.css';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App, preloadForPath } from './app/App';

const root = document.getElementById('root');
if (!root) throw new Error('index.html is missing #root');
preloadForPath(window.location.pathname);

createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);

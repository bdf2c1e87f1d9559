import '@xyflow/react/dist/style.css';
import '../components/base.css';
import './designer.css';
import { createRoot } from 'react-dom/client';
import { App } from './app';
import { warmUpLayout } from './layout';

warmUpLayout();

createRoot(document.getElementById('root')!).render(<App />);

import { render } from 'preact';
import { LocationProvider, lazy, Route, Router } from 'preact-iso';
import { initAuth, loadConfig } from './auth.js';
import { clientErrorSentences } from './messages.js';
import { Callback } from './pages/callback.js';
import { BookMeal } from './pages/family/book.js';
import { MyBookings } from './pages/family/bookings.js';
import { ElderMeals } from './pages/family/elder.js';
import { MyElders } from './pages/family/elders.js';
import { Home } from './pages/home.js';
import { NotFound } from './pages/not-found.js';
import './styles.css';

// The counter is its own chunk: the family pages never load it, and the service worker precaches it.
const Counter = lazy(() => import('./pages/counter/counter.js').then((m) => m.Counter));

function App() {
  return (
    <LocationProvider>
      <Router>
        <Route path="/" component={Home} />
        <Route path="/auth/callback" component={Callback} />
        <Route path="/family" component={MyElders} />
        <Route path="/family/bookings" component={MyBookings} />
        <Route path="/family/elders/:elderId" component={ElderMeals} />
        <Route path="/family/elders/:elderId/sites/:siteId" component={BookMeal} />
        <Route path="/counter" component={Counter} />
        <Route default component={NotFound} />
      </Router>
    </LocationProvider>
  );
}

const root = document.getElementById('app')!;
try {
  initAuth(await loadConfig());
  render(<App />, root);
} catch {
  root.textContent = clientErrorSentences.CONFIG;
}

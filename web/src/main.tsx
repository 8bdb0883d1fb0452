import { render } from 'preact';
import { LocationProvider, Route, Router } from 'preact-iso';
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

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

// Staff dashboard and institution bed board (issue 14): lazy route chunks, so family pages never load them.
const staffPage = <K extends string>(load: () => Promise<Record<K, preact.FunctionComponent>>, name: K) => lazy(() => load().then((m) => m[name]));
const StaffOccupancy = staffPage(() => import('./pages/staff/occupancy.js'), 'Occupancy');
const ChooseInstitution = staffPage(() => import('./pages/staff/choose-institution.js'), 'ChooseInstitution');
const StaffBoard = staffPage(() => import('./pages/institution/board.js'), 'StaffBoard');
const InstitutionBoard = staffPage(() => import('./pages/institution/board.js'), 'InstitutionBoard');
const StaffMeals = staffPage(() => import('./pages/staff/meals.js'), 'Meals');
const StaffAlerts = staffPage(() => import('./pages/staff/alerts.js'), 'Alerts');
const StaffSettlement = staffPage(() => import('./pages/staff/settlement.js'), 'Settlement');
const StaffVacancies = staffPage(() => import('./pages/staff/vacancies.js'), 'Vacancies');
const StaffElders = staffPage(() => import('./pages/staff/elders.js'), 'Elders');
const StaffSites = staffPage(() => import('./pages/staff/sites.js'), 'Sites');
const StaffPlatform = staffPage(() => import('./pages/staff/platform.js'), 'Platform');
const StaffWaitingList = staffPage(() => import('./pages/staff/waiting-list.js'), 'WaitingList');
const StaffOffers = staffPage(() => import('./pages/staff/offers.js'), 'Offers');
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
        <Route path="/staff" component={StaffOccupancy} />
        <Route path="/staff/beds" component={ChooseInstitution} />
        <Route path="/staff/beds/:institutionId" component={StaffBoard} />
        <Route path="/institution" component={InstitutionBoard} />
        <Route path="/staff/meals" component={StaffMeals} />
        <Route path="/staff/alerts" component={StaffAlerts} />
        <Route path="/staff/settlement" component={StaffSettlement} />
        <Route path="/staff/vacancies" component={StaffVacancies} />
        <Route path="/staff/elders" component={StaffElders} />
        <Route path="/staff/sites" component={StaffSites} />
        <Route path="/staff/platform" component={StaffPlatform} />
        <Route path="/staff/waiting-list" component={StaffWaitingList} />
        <Route path="/staff/offers" component={StaffOffers} />
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
